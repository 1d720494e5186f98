import { isIpAddress, type EndpointRecord } from '@meshfold/core';

/**
 * Envoy v3 `ClusterLoadAssignment`s (proto3 JSON names), one per `outbound|port||host` cluster,
 * as istiod would send them with no DestinationRule or PeerAuthentication in play: endpoints
 * grouped by locality, weight 0 sent as 1, tlsMode metadata only for `istio`, and non-IP
 * addresses left to DNS clusters (only `unix://` pipes stay).
 */
export function toClusterLoadAssignments(endpoints: readonly EndpointRecord[]): object[] {
  const clusters = new Map<string, EndpointRecord[]>();
  for (const e of endpoints) {
    if (!isIpAddress(e.address) && !(e.port === 0 && e.address.startsWith('/'))) continue;
    const name = `outbound|${e.servicePort}||${e.host}`;
    clusters.set(name, [...(clusters.get(name) ?? []), e]);
  }
  return [...clusters.keys()].sort().map((clusterName) => ({
    clusterName,
    endpoints: localityGroups(clusters.get(clusterName)!),
  }));
}

function localityGroups(endpoints: EndpointRecord[]): object[] {
  const groups = new Map<string, EndpointRecord[]>();
  for (const e of endpoints) groups.set(e.locality, [...(groups.get(e.locality) ?? []), e]);
  return [...groups.keys()].sort().map((locality) => {
    const members = groups.get(locality)!;
    const [region = '', zone = '', subZone = ''] = locality.split('/');
    return {
      ...(locality && { locality: { region, zone, subZone } }),
      lbEndpoints: members.map(lbEndpoint),
      loadBalancingWeight: Math.min(members.reduce((sum, e) => sum + weightOf(e), 0), 0xffffffff),
    };
  });
}

function lbEndpoint(e: EndpointRecord): object {
  const address = e.port === 0
    ? { pipe: { path: e.address } }
    : { socketAddress: { address: e.address, portValue: e.port } };
  return {
    endpoint: { address },
    healthStatus: 'UNKNOWN',
    ...(e.tlsMode === 'istio' && {
      metadata: { filterMetadata: { 'envoy.transport_socket_match': { tlsMode: 'istio' } } },
    }),
    loadBalancingWeight: weightOf(e),
  };
}

function weightOf(e: EndpointRecord): number {
  return e.weight > 0 ? e.weight : 1;
}
