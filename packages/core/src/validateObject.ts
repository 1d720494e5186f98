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
import { plainJsonProblem } from './plainJson.js';

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
 * A fully qualified domain name by Istio's rules: 1..255 characters, DNS-1123 labels (any case),
 * one trailing dot allowed, and a top-level label that is not all digits (so no IPv4 address).
 */
export function isFqdn(s: string): boolean {
  const labels = domainLabels(s);
  return labels !== undefined && labels.every(isDnsLabel) && !isAllDigits(labels.at(-1)!);
}

/** A ServiceEntry host: like an FQDN, but the first label may carry a `*` prefix (`*`, `*.x`, `*-x`). */
function isWildcardHost(s: string): boolean {
  const labels = domainLabels(s);
  if (labels === undefined) return false;
  const [first, ...rest] = labels;
  // Istio checks the top-level label only when there is more than one label.
  return isWildcardLabel(first!) && rest.every(isDnsLabel) && (rest.length === 0 || !isAllDigits(rest.at(-1)!));
}

// ---------------------------------------------------------------------------------------------
// Entry point

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
const readString = typed((v): v is string => typeof v === 'string', 'must be a string');
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

function maxLength(value: string | undefined, max: number, field: string, report: Report): void {
  if (value !== undefined && value.length > max) report(field, `must be at most ${max} characters`);
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
const isAllDigits = (s: string): boolean => /^[0-9]+$/.test(s);
const isKubeLabelName = (s: string): boolean => s.length <= 63 && KUBE_NAME_LABEL.test(s);
const isKubeSubdomain = (s: string): boolean => s.length <= 253 && s.split('.').every((l) => KUBE_NAME_LABEL.test(l));

/** The labels of a domain name of legal length, without the optional trailing dot. */
function domainLabels(s: string): string[] | undefined {
  if (s.length === 0 || s.length > 255) return undefined;
  return (s.endsWith('.') ? s.slice(0, -1) : s).split('.');
}

/** Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a label name. */
function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && prefix.split('.').every((l) => DNS_LABEL.test(l)));
  return prefixOk && isLabelName(key.slice(slash + 1));
}

const isLabelName = (s: string): boolean => s.length <= 63 && LABEL_NAME.test(s);
const isLabelValue = (s: string): boolean => s === '' || isLabelName(s);

function isIpOrCidr(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return isIpAddress(s);
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const family = ip.includes('%') ? 0 : isIP(ip); // a prefix cannot carry an IPv6 zone
  return family !== 0 && /^(0|[1-9][0-9]{0,2})$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function checkLabels(labels: Entry<string>[], report: Report): void {
  for (const { field, key, value } of labels) {
    if (!isLabelKey(key)) report(field, 'key must be a valid Kubernetes label key');
    else if (!isLabelValue(value)) report(field, 'value must be a valid Kubernetes label value');
  }
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
  const meta = readObject(obj.metadata, 'metadata', report) ?? {};
  const name = readString(meta.name, 'metadata.name', report);
  if (name !== undefined && !isKubeSubdomain(name)) report('metadata.name', 'must be a DNS-1123 subdomain');
  const namespace = readString(meta.namespace, 'metadata.namespace', report) || undefined;
  if (namespace !== undefined && !isKubeLabelName(namespace)) report('metadata.namespace', 'must be a DNS-1123 label');
  return issues;
}

function readMetadata(v: unknown, report: Report): Meta {
  requireField(v, 'metadata', report);
  const meta = readObject(v, 'metadata', report) ?? {};
  if (isRecord(v)) requireField(meta.name, 'metadata.name', report);
  const name = readString(meta.name, 'metadata.name', report);
  if (name !== undefined && !isKubeSubdomain(name)) report('metadata.name', 'must be a DNS-1123 subdomain');
  const namespace = readString(meta.namespace, 'metadata.namespace', report) || undefined;
  if (namespace !== undefined && !isKubeLabelName(namespace)) report('metadata.namespace', 'must be a DNS-1123 label');
  const labels = readMap(meta.labels, 'metadata.labels', report, readString);
  checkLabels(labels, report);
  readMap(meta.annotations, 'metadata.annotations', report, readString);
  return { namespace: namespace ?? 'default', labels };
}

// ---------------------------------------------------------------------------------------------
// WorkloadEntry spec, standalone or inline in a ServiceEntry

interface Workload {
  field: string;
  address: string;
  network: string;
  ports: Entry<number>[];
  labels: Entry<string>[];
}

function readWorkload(spec: Json, field: string, report: Report): Workload {
  const at = (key: string) => `${field}.${key}`;
  const workload: Workload = {
    field,
    address: readString(spec.address, at('address'), report) ?? '',
    network: readString(spec.network, at('network'), report) ?? '',
    ports: readMap(spec.ports, at('ports'), report, readInt),
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
    if (we.ports.length > 0) report(`${we.field}.ports`, 'must be empty for a unix:// address');
  }
  for (const { field, key, value } of we.ports) {
    if (!isDnsLabel(key)) report(field, 'port name must be a DNS-1123 label');
    else if (servicePorts && !servicePorts.has(key)) report(field, 'port name is not defined by the ServiceEntry ports');
    checkPortNumber(value, field, report);
  }
  checkLabels(we.labels, report);
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
  if (se.endpoints.length > 0) report('spec.workloadSelector', 'must not be set together with endpoints');
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
  if (resolution === 'NONE' || resolution === 'DYNAMIC_DNS') {
    if (se.endpoints.length > 0) report('spec.endpoints', `must be empty when resolution is ${resolution}`);
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
  if (waypoint && se.location === 'MESH_INTERNAL') {
    report(waypoint.field, 'must not be set on a MESH_INTERNAL ServiceEntry with DYNAMIC_DNS resolution');
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
