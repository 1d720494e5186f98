import { MeshfoldError } from '@meshfold/core';

/**
 * What a proxy holds, read from one of the files operators already collect. Pure: the CLI reads
 * the file, the inspector page can parse one itself.
 *
 * - `config-dump`: Envoy's `GET /config_dump?include_eds` (or `istioctl proxy-config all POD -o
 *   json`): `configs[]` holding an `envoy.admin.v3.EndpointsConfigDump` whose
 *   `dynamic_endpoint_configs[]` (and `static_endpoint_configs[]`) each carry an `endpoint_config`
 *   (a `ClusterLoadAssignment`) and its `last_updated`.
 * - `clusters`: Envoy's `GET /clusters?format=json` (`{cluster_statuses: [ClusterStatus]}`) or
 *   `istioctl proxy-config endpoint POD -o json` (the same `ClusterStatus`es as a bare array):
 *   each with `host_statuses[]` (`address`, `health_status.eds_health_status`, `weight`, `locality`).
 * - `eds`: meshfold's own `endpoints -o eds`, an array of `ClusterLoadAssignment`s.
 *
 * Field names are read in both spellings, snake_case (Envoy's admin output) and camelCase (proto3
 * JSON as istioctl and meshfold print it).
 */
export type DumpFormat = 'config-dump' | 'clusters' | 'eds';

/** A dump as read: its format, its capture time when it says, and every cluster it holds. */
export interface ProxyDump {
  readonly format: DumpFormat;
  /** The latest `last_updated` of the dump's endpoint configs (RFC 3339), when it carries any. */
  readonly lastUpdated?: string;
  readonly clusters: readonly DumpCluster[];
}

/** One Envoy cluster of a dump (`outbound|PORT|SUBSET|HOST` for Istio's) and its endpoints. */
export interface DumpCluster {
  readonly name: string;
  readonly endpoints: readonly DumpEndpoint[];
}

/** One endpoint as the proxy holds it; a field is absent when the format does not carry it. */
export interface DumpEndpoint {
  /** An IP, or a socket path (`port` 0) for a `pipe` address. */
  readonly address: string;
  readonly port: number;
  readonly weight?: number;
  /** `region/zone/subzone` as the `istio-locality` label writes it, trailing empty parts dropped. */
  readonly locality?: string;
  /** `istio` when the endpoint carries the `envoy.transport_socket_match` tlsMode, else `disabled`. */
  readonly tlsMode?: string;
  /** The `istio.workload` metadata: `workload;namespace;canonical name;canonical revision;cluster`. */
  readonly workload?: string;
  /** `eds_health_status` (HEALTHY, UNHEALTHY, …) where the format reports it. */
  readonly health?: string;
}

const ENDPOINTS_CONFIG_DUMP = 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump';

const EXPECTED = 'an Envoy config dump with EDS (GET /config_dump?include_eds, or istioctl proxy-config all POD -o json), '
  + 'Envoy\'s /clusters?format=json (or istioctl proxy-config endpoint POD -o json), or meshfold endpoints -o eds';

/** Parses a dump's text; `source` names it in errors. */
export function parseDump(text: string, source: string): ProxyDump {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MeshfoldError('CHECK_UNKNOWN_DUMP', `${source} is not JSON (${(err as Error).message}); expected ${EXPECTED}`);
  }
  return readDump(value, source);
}

/** Recognises the format of a parsed dump and reads its clusters. */
export function readDump(value: unknown, source: string): ProxyDump {
  if (isObject(value) && Array.isArray(value.configs)) return readConfigDump(value.configs, source);
  const statuses = isObject(value) ? field(value, 'cluster_statuses') : value;
  if (Array.isArray(statuses) && statuses.length > 0 && statuses.every(isClusterStatus)) {
    return { format: 'clusters', clusters: statuses.map(readClusterStatus) };
  }
  if (isObject(value) && Array.isArray(field(value, 'cluster_statuses'))) return { format: 'clusters', clusters: [] };
  if (Array.isArray(value) && value.every(isLoadAssignment)) {
    return { format: 'eds', clusters: value.map((cla) => readLoadAssignment(cla as Json)) };
  }
  throw new MeshfoldError('CHECK_UNKNOWN_DUMP', `${source} is ${describe(value)}, not a dump meshfold can read; expected ${EXPECTED}`);
}

function readConfigDump(configs: unknown[], source: string): ProxyDump {
  const eds = configs.filter((c): c is Json => isObject(c) && c['@type'] === ENDPOINTS_CONFIG_DUMP);
  if (eds.length === 0) {
    const types = configs.map((c) => (isObject(c) && typeof c['@type'] === 'string' ? c['@type'].split('.').at(-1) : '?')).join(', ');
    throw new MeshfoldError('CHECK_NO_EDS', `${source} is an Envoy config dump without endpoints (it holds ${types || 'nothing'}); capture it with /config_dump?include_eds or istioctl proxy-config all POD -o json`);
  }
  const clusters: DumpCluster[] = [];
  let lastUpdated: string | undefined;
  for (const dump of eds) {
    for (const name of ['static_endpoint_configs', 'dynamic_endpoint_configs']) {
      const entries = field(dump, name);
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (!isObject(entry)) continue;
        const cla = field(entry, 'endpoint_config');
        if (isObject(cla)) clusters.push(readLoadAssignment(cla));
        const updated = field(entry, 'last_updated');
        // RFC 3339 in UTC from both writers, so the latest sorts last as text.
        if (typeof updated === 'string' && (lastUpdated === undefined || updated > lastUpdated)) lastUpdated = updated;
      }
    }
  }
  return { format: 'config-dump', ...(lastUpdated !== undefined && { lastUpdated }), clusters };
}

function readLoadAssignment(cla: Json): DumpCluster {
  // A dump holds every endpoint of the mesh: one object per endpoint, built once, no spreads.
  const endpoints: DumpEndpoint[] = [];
  for (const group of arrayField(cla, 'endpoints')) {
    if (!isObject(group)) continue;
    const locality = localityLabel(field(group, 'locality')) ?? '';
    for (const lb of arrayField(group, 'lb_endpoints')) {
      if (!isObject(lb)) continue;
      const endpoint = field(lb, 'endpoint');
      const address = isObject(endpoint) ? readAddress(field(endpoint, 'address')) : undefined;
      if (!address) continue;
      const read: { -readonly [K in keyof DumpEndpoint]: DumpEndpoint[K] } = address as DumpEndpoint;
      read.weight = uint(field(lb, 'load_balancing_weight')) ?? 1; // proto3 omits Envoy's default
      read.locality = locality;
      const metadata = field(lb, 'metadata');
      const filter = isObject(metadata) ? field(metadata, 'filter_metadata') : undefined;
      if (isObject(filter)) readFilterMetadata(filter, read);
      const health = field(lb, 'health_status');
      if (typeof health === 'string') read.health = health;
      endpoints.push(read);
    }
  }
  return { name: String(field(cla, 'cluster_name') ?? ''), endpoints };
}

function readFilterMetadata(filter: Json, into: { tlsMode?: string; workload?: string }): void {
  const match = filter['envoy.transport_socket_match'];
  const istio = filter.istio;
  into.tlsMode = isObject(match) && typeof match.tlsMode === 'string' ? match.tlsMode : 'disabled';
  if (isObject(istio) && typeof istio.workload === 'string') into.workload = istio.workload;
}

function readClusterStatus(status: unknown): DumpCluster {
  const s = status as Json;
  const endpoints: DumpEndpoint[] = [];
  for (const host of arrayField(s, 'host_statuses')) {
    if (!isObject(host)) continue;
    const address = readAddress(field(host, 'address'));
    if (!address) continue;
    const weight = uint(field(host, 'weight'));
    const locality = localityLabel(field(host, 'locality'));
    const health = field(host, 'health_status');
    const eds = isObject(health) ? field(health, 'eds_health_status') : undefined;
    endpoints.push({
      ...address,
      ...(weight !== undefined && { weight }),
      ...(locality !== undefined && { locality }),
      ...(typeof eds === 'string' && { health: eds }),
    });
  }
  return { name: String(field(s, 'name') ?? ''), endpoints };
}

/** `socket_address` (address, port_value) or `pipe` (path); Go's old `Address.SocketAddress` spelling too. */
function readAddress(value: unknown): { address: string; port: number } | undefined {
  if (!isObject(value)) return undefined;
  const inner = isObject(value.Address) ? value.Address : value;
  const socket = field(inner, 'socket_address') ?? inner.SocketAddress;
  if (isObject(socket) && typeof socket.address === 'string') {
    const specifier = isObject(socket.PortSpecifier) ? socket.PortSpecifier : socket;
    return { address: socket.address, port: uint(field(specifier, 'port_value') ?? specifier.PortValue) ?? 0 };
  }
  const pipe = field(inner, 'pipe') ?? inner.Pipe;
  if (isObject(pipe) && typeof pipe.path === 'string') return { address: pipe.path, port: 0 };
  return undefined;
}

/** A `Locality` as the label `region/zone/subzone`; `{}` is `""`; absent is undefined. */
export function localityLabel(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const part = (name: string) => { const v = field(value, name); return typeof v === 'string' ? v : ''; };
  return trimLocality([part('region'), part('zone'), part('sub_zone')]);
}

/** `a/b/c` with empty trailing parts dropped, so `us-east//` and `us-east` are one locality. */
export function trimLocality(parts: readonly string[]): string {
  const out = [...parts];
  while (out.length > 0 && out.at(-1) === '') out.pop();
  return out.join('/');
}

/** A uint32 as proto3 JSON writes it (a number), or a wrapper `{value}` as Go's encoder did. */
function uint(value: unknown): number | undefined {
  if (isObject(value)) return uint(value.value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field under its proto name or its camelCase JSON name. */
function field(object: Json, snake: string): unknown {
  const value = object[snake];
  if (value !== undefined) return value;
  let camel = CAMEL.get(snake);
  if (camel === undefined) CAMEL.set(snake, camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
  return object[camel];
}

/** The camelCase spelling of each snake_case field name asked for: a handful, asked per endpoint. */
const CAMEL = new Map<string, string>();

/** The array under `snake` (or its camelCase name), or an empty one; callers skip non-objects. */
function arrayField(object: unknown, snake: string): readonly unknown[] {
  if (!isObject(object)) return NONE;
  const value = field(object, snake);
  return Array.isArray(value) ? value : NONE;
}

const NONE: readonly unknown[] = [];

function isClusterStatus(value: unknown): boolean {
  return isObject(value) && typeof value.name === 'string' && (field(value, 'host_statuses') === undefined || Array.isArray(field(value, 'host_statuses')));
}

function isLoadAssignment(value: unknown): boolean {
  return isObject(value) && typeof field(value, 'cluster_name') === 'string';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array of something else';
  if (isObject(value)) {
    const keys = Object.keys(value).slice(0, 4);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.join(', ')}${Object.keys(value).length > 4 ? ', …' : ''}`;
  }
  return value === null ? 'null' : `a ${typeof value}`;
}
