import type { Cluster } from './clusters.js';
import { clusterName } from './format.js';
import type { EndpointRecord } from './EndpointRecord.js';
import type { Resolution } from './objects.js';
import { isIpAddress } from './validateObject.js';

/** Envoy v3 `ClusterLoadAssignment` (proto3 JSON names, empty fields omitted): one cluster's endpoints, as EDS sends them. */
export interface ClusterLoadAssignment {
  readonly clusterName: string;
  readonly endpoints: readonly LocalityLbEndpoints[];
}

/** Envoy `LocalityLbEndpoints`: the endpoints of one locality and their summed weight. */
export interface LocalityLbEndpoints {
  readonly locality: Locality;
  readonly lbEndpoints: readonly LbEndpoint[];
  readonly loadBalancingWeight: number;
}

/** Envoy `Locality`: the `region/zone/subzone` label, split; empty parts omitted. */
export interface Locality {
  readonly region?: string;
  readonly zone?: string;
  readonly subZone?: string;
}

/** Envoy `LbEndpoint`: an address, istiod's metadata for it and its weight (at least 1). */
export interface LbEndpoint {
  readonly endpoint: { readonly address: EndpointAddress };
  readonly metadata: { readonly filterMetadata: EndpointMetadata };
  readonly loadBalancingWeight: number;
}

/** A socket address, or a unix socket path (an endpoint with port 0). */
export type EndpointAddress =
  | { readonly socketAddress: { readonly address: string; readonly portValue: number } }
  | { readonly pipe: { readonly path: string } };

/** What istiod puts in `filterMetadata`: the transport-socket match (mTLS) and the telemetry string. */
export interface EndpointMetadata {
  readonly 'envoy.transport_socket_match'?: { readonly tlsMode: 'istio' };
  readonly istio: { readonly workload: string };
}

/** A cluster istiod sends through CDS alone (not EDS): DNS clusters carry their own `loadAssignment`. */
export interface CdsCluster {
  readonly name: string;
  readonly type: 'STRICT_DNS' | 'LOGICAL_DNS' | 'ORIGINAL_DST';
  readonly loadAssignment?: ClusterLoadAssignment;
}

/**
 * The cluster ID istiod puts in endpoint metadata when it runs with its default `CLUSTER_ID`;
 * meshfold models one cluster.
 */
export const CLUSTER_ID = 'Kubernetes';

/**
 * Envoy v3 `ClusterLoadAssignment`s (proto3 JSON names, empty fields omitted), one per
 * `outbound|port||host` cluster that istiod serves through EDS, as its `EndpointBuilder`
 * (pilot/pkg/xds/endpoints/endpoint_builder.go, `BuildClusterLoadAssignment`) builds them for a
 * sidecar with no DestinationRule or PeerAuthentication in play. Only STATIC ServiceEntries make EDS
 * clusters (`convertResolution` in pilot/pkg/networking/core/cluster.go: ClientSideLB is EDS); the
 * others are in {@link toClusters}.
 */
export function toClusterLoadAssignments(endpoints: readonly EndpointRecord[]): ClusterLoadAssignment[] {
  return clustersOf(endpoints.filter((e) => clusterType(e.resolution) === 'EDS'))
    .map(([clusterName, members]) => ({ clusterName, endpoints: localityGroups(members) }));
}

/**
 * The `ClusterLoadAssignment` of one cluster, as an EDS server pushes it: a cluster update from
 * `project()` or `Projector.apply` (`endpoints: []` when the cluster has none left), or one of
 * `clustersOf`. Endpoints of a ServiceEntry that is not STATIC are left out, as istiod sends those
 * clusters through CDS ({@link toClusters}).
 *
 * @example
 * for (const cluster of step.clusters) eds.push(toClusterLoadAssignment(cluster));
 */
export function toClusterLoadAssignment(cluster: Cluster): ClusterLoadAssignment {
  return { clusterName: cluster.name, endpoints: localityGroups(cluster.endpoints.filter((e) => clusterType(e.resolution) === 'EDS')) };
}

/**
 * The clusters istiod sends through CDS without EDS, with the endpoints a DNS cluster carries in
 * its own `loadAssignment` (hostnames resolved by Envoy). NONE makes an ORIGINAL_DST cluster for
 * sidecars, whose endpoints are wherever the connection was going.
 */
export function toClusters(endpoints: readonly EndpointRecord[]): CdsCluster[] {
  return clustersOf(endpoints.filter((e) => clusterType(e.resolution) !== 'EDS'))
    .map(([name, members]) => {
      // Not EDS: those endpoints were filtered out above.
      const type = clusterType(members[0]!.resolution) as CdsCluster['type'];
      return type === 'ORIGINAL_DST'
        ? { name, type }
        : { name, type, loadAssignment: { clusterName: name, endpoints: localityGroups(members, false) } };
    });
}

/**
 * `convertResolution`: the Envoy cluster type for a sidecar. DNS is STRICT_DNS unless a
 * ServiceEntry asks for another DNS connect strategy by annotation, which meshfold does not model.
 */
/**
 * Whether istiod would put this endpoint into EDS: a STATIC ServiceEntry's, at an IP or a socket
 * path (hostnames and empty addresses are left out).
 *
 * @example
 * endpointsOf(state).filter(inEds) // what -o eds holds
 */
export function inEds(e: EndpointRecord): boolean {
  return clusterType(e.resolution) === 'EDS' && hasEdsAddress(e);
}

function hasEdsAddress(e: EndpointRecord): boolean {
  return isIpAddress(e.address) || (e.port === 0 && e.address.startsWith('/'));
}

/** The Envoy cluster type istiod gives a ServiceEntry's clusters (`convertResolution`): only STATIC ones are EDS. */
export function clusterType(resolution: Resolution): 'EDS' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'ORIGINAL_DST' {
  switch (resolution) {
    case 'DNS': return 'STRICT_DNS';
    case 'DNS_ROUND_ROBIN': return 'LOGICAL_DNS';
    case 'NONE': return 'ORIGINAL_DST';
    default: return 'EDS';
  }
}

/** Endpoints by cluster name, sorted by name. */
function clustersOf(endpoints: readonly EndpointRecord[]): [string, EndpointRecord[]][] {
  const clusters = new Map<string, EndpointRecord[]>();
  for (const e of endpoints) {
    const name = clusterName(e.servicePort, e.host);
    let members = clusters.get(name);
    if (!members) clusters.set(name, members = []);
    members.push(e);
  }
  return [...clusters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Endpoints grouped by locality label, groups in label order, each weighing the sum of its
 * endpoints' weights (capped at the uint32 maximum, as `addUint32` does). For EDS, an address that
 * is neither an IP nor a socket path is left out (`BuildClusterLoadAssignment` filters hostnames; so
 * is an empty address, as no network gateway is modelled).
 */
function localityGroups(endpoints: readonly EndpointRecord[], ipOnly = true): LocalityLbEndpoints[] {
  const groups = new Map<string, EndpointRecord[]>();
  for (const e of endpoints) {
    if (ipOnly && !hasEdsAddress(e)) continue;
    if (!ipOnly && e.address === '') continue;
    let members = groups.get(e.locality);
    if (!members) groups.set(e.locality, members = []);
    members.push(e);
  }
  return [...groups.keys()].sort().map((locality) => {
    const members = groups.get(locality)!;
    return {
      locality: localityOf(locality),
      lbEndpoints: members.map(lbEndpoint),
      loadBalancingWeight: Math.min(members.reduce((sum, e) => sum + weightOf(e), 0), 0xffffffff),
    };
  });
}

/** `ConvertLocality`: region/zone/subzone split at `/`, empty parts omitted (an empty label is `{}`). */
function localityOf(label: string): Locality {
  if (label === '') return {};
  const [region = '', zone = '', subZone = ''] = label.split('/');
  return { ...(region && { region }), ...(zone && { zone }), ...(subZone && { subZone }) };
}

/**
 * `buildEnvoyLbEndpoint`: the address, no health status for a ServiceEntry/WorkloadEntry endpoint
 * (istiod leaves it at 0, which proto3 JSON omits), the metadata, and the weight (0 becomes 1).
 */
function lbEndpoint(e: EndpointRecord): LbEndpoint {
  const address = e.port === 0
    ? { pipe: { path: e.address } }
    : { socketAddress: { address: e.address, portValue: e.port } };
  return { endpoint: { address }, metadata: { filterMetadata: filterMetadata(e) }, loadBalancingWeight: weightOf(e) };
}

/**
 * `AppendLbEndpointMetadata` (pilot/pkg/networking/util/util.go): the transport-socket match for
 * an endpoint whose TLS mode survives `checkMtlsEnabled` (mtls_checker.go) — with no
 * DestinationRule, only `istio` does — and the telemetry string
 * `workload;namespace;canonical name;canonical revision;cluster` under `istio.workload`.
 */
function filterMetadata(e: EndpointRecord): EndpointMetadata {
  return {
    ...(e.tlsMode === 'istio' && { 'envoy.transport_socket_match': { tlsMode: 'istio' } }),
    istio: { workload: workloadMetadata(e) },
  };
}

/** The `istio.workload` telemetry string: `workload;namespace;canonical name;canonical revision;cluster`. */
export function workloadMetadata(e: EndpointRecord): string {
  return [e.workloadName, e.namespace, canonicalName(e), canonicalRevision(e), CLUSTER_ID].join(';');
}

/** `CanonicalService` in istio pkg/kube/labels/labels.go: the first label present, else the workload name. */
function canonicalName(e: EndpointRecord): string {
  return firstLabel(e, ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app']) ?? e.workloadName;
}

/** The canonical revision; its default `latest` is not sent. */
function canonicalRevision(e: EndpointRecord): string {
  const revision = firstLabel(e, ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version']) ?? 'latest';
  return revision === 'latest' ? '' : revision;
}

function firstLabel(e: EndpointRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) if (e.labels[key] !== undefined) return e.labels[key];
  return undefined;
}

function weightOf(e: EndpointRecord): number {
  return e.weight > 0 ? e.weight : 1;
}
