import { isIpAddress, type EndpointRecord, type Resolution } from '@meshfold/core';

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
export function toClusterLoadAssignments(endpoints: readonly EndpointRecord[]): object[] {
  return clustersOf(endpoints.filter((e) => clusterType(e.resolution) === 'EDS'))
    .map(([clusterName, members]) => ({ clusterName, endpoints: localityGroups(members) }));
}

/**
 * The clusters istiod sends through CDS without EDS, with the endpoints a DNS cluster carries in
 * its own `loadAssignment` (hostnames resolved by Envoy). NONE makes an ORIGINAL_DST cluster for
 * sidecars, whose endpoints are wherever the connection was going.
 */
export function toClusters(endpoints: readonly EndpointRecord[]): object[] {
  return clustersOf(endpoints.filter((e) => clusterType(e.resolution) !== 'EDS'))
    .map(([name, members]) => {
      const type = clusterType(members[0]!.resolution);
      return type === 'ORIGINAL_DST'
        ? { name, type }
        : { name, type, loadAssignment: { clusterName: name, endpoints: localityGroups(members, false) } };
    });
}

/**
 * `convertResolution`: the Envoy cluster type for a sidecar. DNS is STRICT_DNS unless a
 * ServiceEntry asks for another DNS connect strategy by annotation, which meshfold does not model.
 */
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
    const name = `outbound|${e.servicePort}||${e.host}`;
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
function localityGroups(endpoints: EndpointRecord[], ipOnly = true): object[] {
  const groups = new Map<string, EndpointRecord[]>();
  for (const e of endpoints) {
    if (ipOnly && !isIpAddress(e.address) && !(e.port === 0 && e.address.startsWith('/'))) continue;
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
function localityOf(label: string): object {
  if (label === '') return {};
  const [region = '', zone = '', subZone = ''] = label.split('/');
  return { ...(region && { region }), ...(zone && { zone }), ...(subZone && { subZone }) };
}

/**
 * `buildEnvoyLbEndpoint`: the address, no health status for a ServiceEntry/WorkloadEntry endpoint
 * (istiod leaves it at 0, which proto3 JSON omits), the metadata, and the weight (0 becomes 1).
 */
function lbEndpoint(e: EndpointRecord): object {
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
function filterMetadata(e: EndpointRecord): object {
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
