/**
 * Validation of ServiceEntry / WorkloadEntry objects as Istio would judge them on admission:
 * the istiod webhook rules (istio/istio `pkg/config/validation/validation.go`,
 * `ValidateServiceEntry` and `ValidateWorkloadEntry`) plus the CRD schema rules (istio/api
 * `networking/v1alpha3/service_entry.proto`, `workload_entry.proto`, `sidecar.proto`, as
 * generated into `manifests/charts/base/files/crd-all.gen.yaml`). `docs/istio-rules.md` lists them.
 * Only Istio's errors become issues; its warnings admit the object, so meshfold admits it too.
 *
 * Input is a raw Kubernetes object of unknown shape. Every problem, including a wrong JSON
 * type, is reported as an issue with a dotted field path; nothing here throws.
 */
import { isIP } from 'node:net';
import type { ValidationIssue } from './MeshfoldError.js';
import { ISTIO_GROUP, ISTIO_VERSIONS, type Resolution } from './objects.js';
import { plainJsonProblem } from './internal/plainJson.js';

type Json = Record<string, unknown>;
type Report = (field: string, rule: string) => void;
type Reader<T> = (value: unknown, field: string, report: Report) => T | undefined;
interface Item<T> { field: string; value: T }
interface Entry<T> extends Item<T> { key: string }

const RESOLUTIONS: readonly Resolution[] = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'];
const LOCATIONS = ['MESH_EXTERNAL', 'MESH_INTERNAL'] as const;
// Istio parses protocols case-insensitively. `UNSUPPORTED` is deliberately absent: Istio's
// parser maps every unknown name to its "unsupported" sentinel and the webhook rejects that.
const PROTOCOLS = new Set(['http', 'https', 'grpc', 'grpc-web', 'http2', 'http_proxy',
  'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp']);
// Protocols whose traffic names its host (Host header or SNI), so one port can serve many hosts.
const HOST_AWARE_PROTOCOLS = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web', 'https', 'tls']);
const DYNAMIC_DNS_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'tls']);
const UNIX_PREFIX = 'unix://';
const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';

// ---------------------------------------------------------------------------------------------
// Exported predicates

/** An IPv4 or IPv6 address (an IPv6 zone is accepted, as Go's netip does for Istio). */
export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

/**
 * A fully qualified domain name by Istio's rules (`ValidateFQDN`): 1..255 characters, DNS-1123
 * labels (any case), an empty last label allowed (a trailing dot), and a last label that is not a
 * number. With a trailing dot the last label is the empty one, so `db.10.` and `10.0.0.1.` pass.
 */
export function isFqdn(s: string): boolean {
  return s.length > 0 && s.length <= 255 && areDnsLabels(s);
}

/**
 * A ServiceEntry host (`ValidateWildcardDomain`): like an FQDN, but the first label may carry a
 * `*` prefix (`*`, `*.x`, `*-x`), and a name of one label is not checked for being a number.
 */
function isWildcardHost(s: string): boolean {
  if (s.length === 0 || s.length > 255) return false;
  const dot = s.indexOf('.');
  if (dot < 0) return isWildcardLabel(s);
  return isWildcardLabel(s.slice(0, dot)) && areDnsLabels(s.slice(dot + 1));
}

/** Istio's `ValidateDNS1123Labels`: the last label may be empty but not a number; the others are DNS-1123 labels. */
function areDnsLabels(domain: string): boolean {
  const labels = domain.split('.');
  const last = labels.at(-1)!;
  if (isGoInt(last)) return false;
  return labels.every((l, i) => isDnsLabel(l) || (l === '' && i === labels.length - 1));
}

/**
 * Whether Go's `strconv.Atoi` reads the string as an int: an optional sign and decimal digits
 * within the int64 range. Istio calls a top-level label "all-numeric" exactly when Atoi succeeds,
 * so a label of digits beyond that range counts as a name.
 */
function isGoInt(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

// ---------------------------------------------------------------------------------------------
// Entry point

/**
 * Every rule `obj` breaks, as Istio's webhook, the CRD schema and the API server would report
 * them (docs/istio-rules.md); `[]` for an object the fold accepts.
 *
 * @example
 * const issues = validateObject(object);
 * if (issues.length > 0) console.warn(issues.map((i) => `${i.field}: ${i.rule}`).join('; '));
 */
export function validateObject(obj: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const fields = new Set<string>();
  // One issue per field: later rules on an already broken field only add noise to the message.
  const report: Report = (field, rule) => {
    if (fields.has(field)) return;
    fields.add(field);
    issues.push({ field, rule });
  };
  try {
    checkObject(obj, report);
  } catch (err) {
    // Input of unknown shape may be exotic (getters, proxies); a throwing validator would take
    // a whole replay down, so even that becomes an issue.
    report('', `could not be validated: ${err instanceof Error ? err.message : String(err)}`);
  }
  return issues;
}

function checkObject(obj: unknown, report: Report): void {
  if (!isRecord(obj)) return report('', 'must be a Kubernetes object');
  const notPlain = plainJsonProblem(obj);
  if (notPlain) return report(notPlain[0], notPlain[1]);
  const apiVersion = readString(obj.apiVersion, 'apiVersion', report);
  if (isAbsent(obj.apiVersion)) report('apiVersion', 'is required');
  else if (apiVersion !== undefined && !ISTIO_VERSIONS.some((v) => apiVersion === `${ISTIO_GROUP}/${v}`)) {
    report('apiVersion', `must be ${ISTIO_GROUP}/ followed by one of ${ISTIO_VERSIONS.join(', ')}`);
  }
  const { kind } = obj;
  if (kind !== 'ServiceEntry' && kind !== 'WorkloadEntry') report('kind', 'must be ServiceEntry or WorkloadEntry');
  const meta = readMetadata(obj.metadata, report);
  const spec = readObject(obj.spec, 'spec', report) ?? {};
  if (kind === 'ServiceEntry') checkServiceEntry(readServiceEntry(spec, report), meta, report);
  if (kind === 'WorkloadEntry') checkWorkload(readWorkload(spec, 'spec', report), 'standalone', undefined, report);
}

// ---------------------------------------------------------------------------------------------
// Readers: type-check raw JSON and keep each value with its field path. Values of the wrong
// type are reported here and left out, so the rules below only ever see well-typed data.

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// Kubernetes treats an explicit null exactly like an omitted field.
const isAbsent = (v: unknown): v is null | undefined => v === undefined || v === null;

function typed<T>(isType: (v: unknown) => v is T, rule: string): Reader<T> {
  return (v, field, report) => {
    if (isAbsent(v)) return undefined;
    if (isType(v)) return v;
    report(field, rule);
    return undefined;
  };
}
const readStringOnly = typed((v): v is string => typeof v === 'string', 'must be a string');

/**
 * A string field. YAML as kubectl reads it turns some unquoted values into other types (`yes`,
 * `on`, `0777`, `a: b`), so a non-string gets a message that names what it became and says to
 * quote it.
 */
const readString: Reader<string> = (v, field, report) => {
  if (isAbsent(v) || typeof v === 'string') return readStringOnly(v, field, report);
  report(field, notAString(v));
  return undefined;
};

function notAString(v: unknown): string {
  if (typeof v === 'boolean') {
    return `must be a string, not the boolean ${v}: YAML, as kubectl reads it, takes unquoted yes/no/on/off/y/n/true/false `
      + 'as booleans; quote the value (e.g. "yes")';
  }
  if (typeof v === 'number') {
    return `must be a string, not the number ${v}: YAML takes unquoted numbers (also 0777 as octal, 0x1F as hex) as numbers; `
      + 'quote the value (e.g. "0777")';
  }
  if (Array.isArray(v)) return 'must be a string, not a list: quote the value if it starts with [ or -';
  return 'must be a string, not a map: in YAML an unquoted ": " or a leading { starts a map; quote the value';
}
const readInt = typed((v): v is number => Number.isInteger(v), 'must be an integer');
const readObject = typed(isRecord, 'must be an object');

/** `a.b` for plain keys, `a["x.io/y"]` when the key would make the path ambiguous. */
function member(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function readList<T>(v: unknown, field: string, report: Report, readItem: Reader<T>): Item<T>[] {
  if (isAbsent(v)) return [];
  if (!Array.isArray(v)) {
    report(field, 'must be a list');
    return [];
  }
  const items: Item<T>[] = [];
  for (let i = 0; i < v.length; i++) {
    const itemField = `${field}[${i}]`;
    if (isAbsent(v[i])) report(itemField, 'must not be null');
    const value = readItem(v[i], itemField, report);
    if (value !== undefined) items.push({ field: itemField, value });
  }
  return items;
}

function readMap<T>(v: unknown, field: string, report: Report, readValue: Reader<T>): Entry<T>[] {
  const map = readObject(v, field, report);
  if (map === undefined) return [];
  const entries: Entry<T>[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const entryField = member(field, key);
    if (isAbsent(raw)) report(entryField, 'must not be null');
    const value = readValue(raw, entryField, report);
    if (value !== undefined) entries.push({ field: entryField, key, value });
  }
  return entries;
}

function readEnum<T extends string>(v: unknown, field: string, allowed: readonly T[], report: Report): T | undefined {
  const s = readString(v, field, report);
  if (s === undefined || (allowed as readonly string[]).includes(s)) return s as T | undefined;
  report(field, `must be one of ${allowed.join(', ')}`);
  return undefined;
}

function requireField(v: unknown, field: string, report: Report): void {
  if (isAbsent(v)) report(field, 'is required');
}

/** OpenAPI `maxLength`, which counts characters (code points), not bytes or UTF-16 units. */
function maxLength(value: string | undefined, max: number, field: string, report: Report): void {
  // A string has at most as many code points as UTF-16 units, so only a long one needs counting.
  if (value !== undefined && value.length > max && codePoints(value) > max) report(field, `must be at most ${max} characters`);
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function maxItems(count: number, max: number, field: string, report: Report): void {
  if (count > max) report(field, `must have at most ${max} entries`);
}

// ---------------------------------------------------------------------------------------------
// Names, labels and addresses

// Istio's DNS-1123 labels accept upper case; Kubernetes object names do not.
const DNS_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const WILDCARD_LABEL = /^(\*|(\*-?)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)$/;
const KUBE_NAME_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const isDnsLabel = (s: string): boolean => s.length <= 63 && DNS_LABEL.test(s);
const isWildcardLabel = (s: string): boolean => s.length <= 63 && WILDCARD_LABEL.test(s);
const isKubeLabelName = (s: string): boolean => s.length <= 63 && KUBE_NAME_LABEL.test(s);
const isKubeSubdomain = (s: string): boolean => s.length <= 253 && s.split('.').every((l) => KUBE_NAME_LABEL.test(l));

/**
 * A label key as Istio checks the labels inside a spec (`labels.Instance.Validate`): an optional
 * prefix of DNS-1123 labels in any case (at most 253 characters) and `/`, then a name.
 */
function isIstioLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && prefix.split('.').every((l) => DNS_LABEL.test(l)));
  return prefixOk && isLabelName(key.slice(slash + 1));
}

/**
 * A qualified name as the API server checks label and annotation keys (`IsQualifiedName`): an
 * optional non-empty prefix that is a lower-case DNS-1123 subdomain and `/`, then a name.
 */
function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  if (parts.length === 2 && !isKubeSubdomain(parts[0]!)) return false;
  return isLabelName(parts.at(-1)!);
}

const isLabelName = (s: string): boolean => s.length <= 63 && LABEL_NAME.test(s);

function isIpOrCidr(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return isIpAddress(s);
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const family = ip.includes('%') ? 0 : isIP(ip); // a prefix cannot carry an IPv6 zone
  return family !== 0 && /^(0|[1-9][0-9]{0,2})$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Labels inside a spec (a WorkloadEntry's `labels`, an inline endpoint's), which only Istio's
 * webhook checks: values must match the label-value pattern, but may be longer than 63 characters.
 */
function checkSpecLabels(labels: Entry<string>[], report: Report): void {
  for (const { field, key, value } of labels) {
    if (!isIstioLabelKey(key)) report(field, 'key must be a label key (optional DNS prefix and /, then a name of at most 63 characters)');
    else if (value !== '' && !LABEL_NAME.test(value)) {
      report(field, 'label value must be empty or alphanumeric, -, _ or . beginning and ending with an alphanumeric character (any length)');
    }
  }
}

/** `metadata.labels`, which the API server checks (`ValidateLabels`): stricter keys, values at most 63 characters. */
function checkMetadataLabels(labels: Entry<string>[], report: Report): void {
  for (const { field, key, value } of labels) {
    if (!isQualifiedName(key)) report(field, 'key must be a Kubernetes label key (optional lower-case DNS subdomain prefix and /, then a name of at most 63 characters)');
    else if (value !== '' && !isLabelName(value)) report(field, 'label value must be empty or alphanumeric, -, _ or . beginning and ending with an alphanumeric character, at most 63 characters');
  }
}

/** The API server's limit on all annotation keys and values of one object together (`ValidateAnnotations`). */
const MAX_ANNOTATION_BYTES = 256 * 1024;

/** `metadata.annotations` (`ValidateAnnotations`): keys are qualified names in any case; keys and values together at most 256 KiB. */
function checkAnnotations(annotations: Entry<string>[], report: Report): void {
  let bytes = 0;
  for (const { field, key, value } of annotations) {
    if (!isQualifiedName(key.toLowerCase())) report(field, 'key must be a qualified name (optional DNS subdomain prefix and /, then a name of at most 63 characters)');
    bytes += utf8Length(key) + utf8Length(value);
  }
  if (bytes > MAX_ANNOTATION_BYTES) report('metadata.annotations', `must total at most ${MAX_ANNOTATION_BYTES} bytes (keys and values); they total ${bytes}`);
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Each UTF-16 unit counted once already; add the extra bytes UTF-8 needs. A surrogate pair
    // (4 bytes) is two units of 2 bytes each here.
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

function checkPortNumber(value: number | undefined, field: string, report: Report): void {
  if (value !== undefined && (value < 1 || value > 65535)) report(field, 'must be a port number between 1 and 65535');
}

// ---------------------------------------------------------------------------------------------
// metadata

interface Meta { namespace: string; labels: Entry<string>[] }

/**
 * The issues of what identifies an object — plain JSON data, its kind, `metadata.name` and
 * `metadata.namespace` — and nothing else: what a DELETED payload must get right, since only
 * its identity is used, but it is stored as it came.
 */
export function validateIdentity(obj: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report: Report = (field, rule) => void issues.push({ field, rule });
  if (!isRecord(obj)) return [{ field: '', rule: 'must be a Kubernetes object' }];
  const notPlain = plainJsonProblem(obj);
  if (notPlain) return [{ field: notPlain[0], rule: notPlain[1] }];
  readIdentity(readObject(obj.metadata, 'metadata', report) ?? {}, report);
  return issues;
}

/** `metadata.name` (a DNS-1123 subdomain) and `metadata.namespace` (a label), checked; the namespace if set. */
function readIdentity(meta: Json, report: Report): string | undefined {
  const name = readString(meta.name, 'metadata.name', report);
  if (name !== undefined && !isKubeSubdomain(name)) report('metadata.name', 'must be a DNS-1123 subdomain');
  const namespace = readString(meta.namespace, 'metadata.namespace', report) || undefined;
  if (namespace !== undefined && !isKubeLabelName(namespace)) report('metadata.namespace', 'must be a DNS-1123 label');
  return namespace;
}

function readMetadata(v: unknown, report: Report): Meta {
  requireField(v, 'metadata', report);
  const meta = readObject(v, 'metadata', report) ?? {};
  if (isRecord(v)) requireField(meta.name, 'metadata.name', report);
  const namespace = readIdentity(meta, report);
  const labels = readMap(meta.labels, 'metadata.labels', report, readString);
  checkMetadataLabels(labels, report);
  checkAnnotations(readMap(meta.annotations, 'metadata.annotations', report, readString), report);
  return { namespace: namespace ?? 'default', labels };
}

// ---------------------------------------------------------------------------------------------
// WorkloadEntry spec, standalone or inline in a ServiceEntry

interface Workload {
  field: string;
  address: string;
  network: string;
  ports: Entry<number>[];
  /** `ports` is present, even as an empty map: the schema's `has()` sees it. */
  portsSet: boolean;
  labels: Entry<string>[];
}

function readWorkload(spec: Json, field: string, report: Report): Workload {
  const at = (key: string) => `${field}.${key}`;
  const workload: Workload = {
    field,
    address: readString(spec.address, at('address'), report) ?? '',
    network: readString(spec.network, at('network'), report) ?? '',
    ports: readMap(spec.ports, at('ports'), report, readInt),
    portsSet: !isAbsent(spec.ports),
    labels: readMap(spec.labels, at('labels'), report, readString),
  };
  const locality = readString(spec.locality, at('locality'), report);
  const serviceAccount = readString(spec.serviceAccount, at('serviceAccount'), report);
  const weight = readInt(spec.weight, at('weight'), report);
  if (weight !== undefined && (weight < 0 || weight > 0xffffffff)) report(at('weight'), 'must be an unsigned 32-bit integer');
  maxLength(workload.address, 256, at('address'), report);
  maxLength(workload.network, 2048, at('network'), report);
  maxLength(locality, 2048, at('locality'), report);
  maxLength(serviceAccount, 253, at('serviceAccount'), report);
  maxItems(workload.ports.length, 128, at('ports'), report);
  maxItems(workload.labels.length, 256, at('labels'), report);
  return workload;
}

/**
 * Which address forms a workload may use depends on where it is: a standalone WorkloadEntry may
 * be selected by any ServiceEntry, a STATIC one needs IPs (or a socket), a DNS one resolvable names.
 */
type AddressContext = 'standalone' | 'STATIC' | 'DNS';
type AddressKind = 'empty' | 'unix' | 'ip' | 'fqdn';
const ADDRESS_RULES: Record<AddressContext, { kinds: AddressKind[]; rule: string }> = {
  standalone: { kinds: ['empty', 'unix', 'ip', 'fqdn'], rule: 'must be an IP address, an FQDN or a unix:// socket' },
  STATIC: { kinds: ['empty', 'unix', 'ip'], rule: 'must be an IP address or a unix:// socket with STATIC resolution' },
  DNS: { kinds: ['ip', 'fqdn'], rule: 'must be an IP address or an FQDN with DNS resolution' },
};

function addressKind(address: string): AddressKind | undefined {
  if (address === '') return 'empty';
  if (address.startsWith(UNIX_PREFIX)) return 'unix';
  if (isIpAddress(address)) return 'ip';
  return isFqdn(address) ? 'fqdn' : undefined;
}

/**
 * `context` undefined: the endpoint is already rejected by its ServiceEntry's resolution, so
 * only the shape rules of the CRD apply. `servicePorts` undefined: standalone, no port to match.
 */
function checkWorkload(we: Workload, context: AddressContext | undefined, servicePorts: Set<string> | undefined, report: Report): void {
  const addressField = `${we.field}.address`;
  const kind = addressKind(we.address);
  // An endpoint behind a network gateway may have no address of its own.
  if (kind === 'empty' && we.network === '') report(addressField, 'is required unless network is set');
  else if (context && !ADDRESS_RULES[context].kinds.includes(kind!)) report(addressField, ADDRESS_RULES[context].rule);
  if (kind === 'unix') {
    checkUnixAddress(we.address, addressField, report);
    // The schema rejects `ports` even when it is an empty map.
    if (we.portsSet) report(`${we.field}.ports`, 'must not be set for a unix:// address');
  }
  for (const { field, key, value } of we.ports) {
    // The webhook allows 63 characters; the schema's rule (`size(key) < 63`) one fewer.
    if (!isDnsLabel(key) || key.length >= 63) report(field, 'port name must be a DNS-1123 label of at most 62 characters');
    else if (servicePorts && !servicePorts.has(key)) report(field, 'port name is not defined by the ServiceEntry ports');
    checkPortNumber(value, field, report);
  }
  checkSpecLabels(we.labels, report);
}

function checkUnixAddress(address: string, field: string, report: Report): void {
  const path = address.slice(UNIX_PREFIX.length);
  // `@name` is a Linux abstract socket; anything else names a socket file.
  if (path.startsWith('@')) return;
  if (!path.startsWith('/') || path.endsWith('/')) {
    report(field, 'unix:// must be followed by an absolute socket file path or an @abstract name');
  }
}

// ---------------------------------------------------------------------------------------------
// ServiceEntry

interface Port { field: string; number?: number; name?: string; protocol: string; targetPort?: number }

interface ServiceEntryView {
  hosts: Item<string>[];
  addresses: Item<string>[];
  ports: Port[];
  endpoints: Workload[];
  /** `endpoints` is present, even as an empty list: the schema's `has()` sees it. */
  endpointsSet: boolean;
  selector?: Entry<string>[];
  /** undefined when the resolution is not a known one (already reported). */
  resolution?: Resolution;
  location?: string;
  exportTo: Item<string>[];
}

function readServiceEntry(spec: Json, report: Report): ServiceEntryView {
  const selector = readObject(spec.workloadSelector, 'spec.workloadSelector', report);
  readList(spec.subjectAltNames, 'spec.subjectAltNames', report, readString);
  const hasResolution = !isAbsent(spec.resolution);
  return {
    hosts: readList(spec.hosts, 'spec.hosts', report, readString),
    addresses: readList(spec.addresses, 'spec.addresses', report, readString),
    ports: readList(spec.ports, 'spec.ports', report, readObject).map(({ field, value }) => readPort(value, field, report)),
    endpoints: readList(spec.endpoints, 'spec.endpoints', report, readObject)
      .map(({ field, value }) => readWorkload(value, field, report)),
    endpointsSet: !isAbsent(spec.endpoints),
    selector: selector && readMap(selector.labels, 'spec.workloadSelector.labels', report, readString),
    resolution: hasResolution ? readEnum(spec.resolution, 'spec.resolution', RESOLUTIONS, report) : 'NONE',
    location: readEnum(spec.location, 'spec.location', LOCATIONS, report),
    exportTo: readList(spec.exportTo, 'spec.exportTo', report, readString),
  };
}

function readPort(raw: Json, field: string, report: Report): Port {
  requireField(raw.number, `${field}.number`, report);
  requireField(raw.name, `${field}.name`, report);
  return {
    field,
    number: readInt(raw.number, `${field}.number`, report),
    name: readString(raw.name, `${field}.name`, report),
    protocol: readString(raw.protocol, `${field}.protocol`, report) ?? '',
    targetPort: readInt(raw.targetPort, `${field}.targetPort`, report),
  };
}

function checkServiceEntry(se: ServiceEntryView, meta: Meta, report: Report): void {
  checkSelector(se, report);
  checkHosts(se, report);
  checkAddresses(se, report);
  const portNames = checkPorts(se.ports, report);
  checkEndpoints(se, portNames, report);
  checkByResolution(se, meta, report);
  checkMultiHostProtocols(se, report);
  checkExportTo(se.exportTo, meta.namespace, report);
}

/** `ValidateServiceEntry` (selector checks) and the WorkloadSelector schema: selector labels, and selector and inline endpoints are exclusive. */
function checkSelector(se: ServiceEntryView, report: Report): void {
  if (se.selector === undefined) return;
  // The schema's one-of rule counts an empty `endpoints: []` as set.
  if (se.endpointsSet) report('spec.workloadSelector', 'must not be set together with endpoints');
  maxItems(se.selector.length, 256, 'spec.workloadSelector.labels', report);
  for (const { field, key, value } of se.selector) {
    if (key === '') report(field, 'selector label key must not be empty');
    else if (key.includes('*') || value.includes('*')) report(field, 'wildcard * is not allowed in selector labels');
    else if (value.length > 63) report(field, 'selector label value must be at most 63 characters');
  }
}

/** `ValidateServiceEntry` (hosts, via `ValidateWildcardDomain`) and the ServiceEntry schema: at least one host, none `*`, each a domain with at most a leading wildcard. */
function checkHosts(se: ServiceEntryView, report: Report): void {
  if (se.hosts.length === 0) report('spec.hosts', 'must have at least one host');
  maxItems(se.hosts.length, 256, 'spec.hosts', report);
  for (const { field, value } of se.hosts) {
    if (value === '*') report(field, 'must not be the full wildcard *');
    else if (!isWildcardHost(value)) report(field, 'must be a valid domain name, optionally with a wildcard first label');
  }
}

/** `ValidateServiceEntry` (addresses) and the ServiceEntry schema: IPs or CIDR blocks; a CIDR block only where no DNS lookup replaces it. */
function checkAddresses(se: ServiceEntryView, report: Report): void {
  maxItems(se.addresses.length, 256, 'spec.addresses', report);
  const cidrAllowed = se.resolution === 'NONE' || se.resolution === 'STATIC' || se.resolution === undefined;
  for (const { field, value } of se.addresses) {
    maxLength(value, 64, field, report);
    if (!isIpOrCidr(value)) report(field, 'must be an IP address or a CIDR block');
    else if (value.includes('/') && !cidrAllowed) report(field, 'CIDR block is allowed only with NONE or STATIC resolution');
  }
}

/** `ValidateServiceEntry` (ports, `ValidatePortName`, `ValidatePort`) and the ServicePort schema. Returns the port names, which inline endpoints' port maps must refer to. */
function checkPorts(ports: Port[], report: Report): Set<string> {
  maxItems(ports.length, 256, 'spec.ports', report);
  const byName = new Map<string, string>();
  const byNumber = new Map<number, string>();
  for (const port of ports) {
    const nameField = `${port.field}.name`;
    const numberField = `${port.field}.number`;
    if (port.name !== undefined && !isDnsLabel(port.name)) report(nameField, 'must be a DNS-1123 label');
    const sameName = port.name === undefined ? undefined : byName.get(port.name);
    if (sameName) report(nameField, `port name ${JSON.stringify(port.name)} is duplicated (also ${sameName})`);
    checkPortNumber(port.number, numberField, report);
    const sameNumber = port.number === undefined ? undefined : byNumber.get(port.number);
    if (sameNumber) report(numberField, `port number ${port.number} is duplicated (also ${sameNumber})`);
    if (port.protocol !== '' && !PROTOCOLS.has(port.protocol.toLowerCase())) {
      report(`${port.field}.protocol`, `must be empty or a known protocol (${[...PROTOCOLS].join(', ').toUpperCase()})`);
    }
    checkPortNumber(port.targetPort, `${port.field}.targetPort`, report);
    if (port.name !== undefined && !sameName) byName.set(port.name, port.field);
    if (port.number !== undefined && !sameNumber) byNumber.set(port.number, port.field);
  }
  return new Set(byName.keys());
}

/** `ValidateServiceEntry` (endpoints per resolution) and the WorkloadEntry schema; NONE and DYNAMIC_DNS reject endpoints outright. */
function checkEndpoints(se: ServiceEntryView, portNames: Set<string>, report: Report): void {
  maxItems(se.endpoints.length, 4096, 'spec.endpoints', report);
  const context = se.resolution === 'STATIC' ? 'STATIC'
    : se.resolution === 'DNS' || se.resolution === 'DNS_ROUND_ROBIN' ? 'DNS' : undefined;
  for (const endpoint of se.endpoints) checkWorkload(endpoint, context, portNames, report);
}

/** `ValidateServiceEntry` (the switch on resolution): what each resolution demands of hosts, addresses, endpoints and ports. */
function checkByResolution(se: ServiceEntryView, meta: Meta, report: Report): void {
  const { resolution } = se;
  // For NONE the schema rejects `endpoints` even as an empty list; for DYNAMIC_DNS only the webhook rules, on a non-empty one.
  if (resolution === 'NONE' ? se.endpointsSet : resolution === 'DYNAMIC_DNS' && se.endpoints.length > 0) {
    report('spec.endpoints', resolution === 'NONE' ? 'must not be set when resolution is NONE' : 'must be empty when resolution is DYNAMIC_DNS');
  }
  if (resolution === 'STATIC' && se.endpoints.some((e) => e.address.startsWith(UNIX_PREFIX)) && se.ports.length !== 1) {
    // Envoy reaches a socket without any port, so several service ports could not be told apart.
    report('spec.ports', 'must have exactly one port when an endpoint is a unix:// socket');
  }
  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && se.endpoints.length === 0) {
    // Without endpoints the hosts themselves are looked up, and a wildcard cannot be.
    for (const { field, value } of se.hosts) {
      if (!isFqdn(value)) report(field, `must be an FQDN (no wildcard) when resolution is ${resolution} without endpoints`);
    }
  }
  if (resolution === 'DNS_ROUND_ROBIN' && se.endpoints.length > 1) {
    report('spec.endpoints', 'must have at most one endpoint when resolution is DNS_ROUND_ROBIN');
  }
  if (resolution === 'DYNAMIC_DNS') checkDynamicDns(se, meta, report);
}

/** `ValidateServiceEntry` (DYNAMIC_DNS case): DYNAMIC_DNS resolves whatever name a request carries under wildcard hosts. */
function checkDynamicDns(se: ServiceEntryView, meta: Meta, report: Report): void {
  for (const { field, value } of se.hosts) {
    if (!value.startsWith('*')) report(field, 'must be a wildcard host when resolution is DYNAMIC_DNS');
  }
  if (se.addresses.length > 0) report('spec.addresses', 'must be empty when resolution is DYNAMIC_DNS');
  for (const port of se.ports) {
    if (!DYNAMIC_DNS_PROTOCOLS.has(port.protocol.toLowerCase())) {
      report(`${port.field}.protocol`, 'must be HTTP, HTTP2, GRPC or TLS when resolution is DYNAMIC_DNS');
    }
  }
  const waypoint = meta.labels.find((l) => l.key === USE_WAYPOINT_LABEL);
  // An empty value or `none` (any case) means "no waypoint" (`usesWaypoint` in validation.go).
  if (waypoint && waypoint.value !== '' && waypoint.value.toLowerCase() !== 'none' && se.location === 'MESH_INTERNAL') {
    report(waypoint.field, 'must not name a waypoint on a MESH_INTERNAL ServiceEntry with DYNAMIC_DNS resolution');
  }
}

/**
 * `ValidateServiceEntry` (the multi-host protocol check): with more than one host, only the Host header or SNI tells the hosts apart on a port.
 * NONE is exempt because it forwards to the original destination and ignores hosts.
 */
function checkMultiHostProtocols(se: ServiceEntryView, report: Report): void {
  if (se.resolution === 'NONE' || se.resolution === undefined || se.hosts.length < 2) return;
  for (const port of se.ports) {
    if (!HOST_AWARE_PROTOCOLS.has(port.protocol.toLowerCase())) {
      report(`${port.field}.protocol`, 'must be an HTTP or TLS protocol when there are multiple hosts');
    }
  }
}

/** `validateExportTo` in validation.go: `.` own namespace, `*` everyone, `~` no one, or namespace names; no contradictions. */
function checkExportTo(exportTo: Item<string>[], namespace: string, report: Report): void {
  const seen = new Map<string, string>();
  for (const { field, value } of exportTo) {
    // `.` is the object's own namespace, so listing both says the same thing twice.
    const target = value === '.' ? namespace : value;
    const first = seen.get(target);
    if (first) report(field, `is duplicated (also ${first})`);
    else if (!['.', '*', '~'].includes(value) && !isDnsLabel(value)) {
      report(field, 'must be ".", "*", "~" or a namespace name (DNS-1123 label)');
    }
    if (!first) seen.set(target, field);
  }
  if (exportTo.length > 1 && seen.has('*')) report('spec.exportTo', 'must not combine * with other entries');
  if (exportTo.length > 1 && seen.has('~')) report('spec.exportTo', 'must not combine ~ with other entries');
}
