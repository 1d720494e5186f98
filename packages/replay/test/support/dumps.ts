/**
 * Dumps in the shapes real tools print, built from meshfold's own `-o eds` (camelCase
 * `ClusterLoadAssignment`s), so a test can start from "the proxy holds exactly the truth" and
 * tamper with it:
 * - Envoy's `/config_dump?include_eds`: snake_case, `configs[]` with an `EndpointsConfigDump`
 *   (envoy api/envoy/admin/v3/config_dump_shared.proto), each `dynamic_endpoint_configs[]` entry
 *   an `endpoint_config` with its `@type`, `version_info` and `last_updated`; each lb endpoint with
 *   `health_check_config: {}` and `health_status: HEALTHY`, as istioctl's testdata
 *   (istioctl/pkg/writer/envoy/configdump/testdata/endpoint/configdump.json) shows Envoy prints it;
 * - Envoy's `/clusters?format=json`: `{cluster_statuses: [ClusterStatus]}` in snake_case
 *   (api/envoy/admin/v3/clusters.proto), and `istioctl proxy-config endpoint -o json`: the same
 *   as a bare camelCase array (istioctl/pkg/writer/envoy/clusters/clusters.go, `PrintEndpoints`).
 */

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** camelCase keys to snake_case, except inside `filterMetadata` (a Struct: its keys are data). */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [
    k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    k === 'filterMetadata' ? v : snakeKeys(v),
  ]));
}

/** A whole `/config_dump?include_eds`, with a bootstrap and clusters dump beside the endpoints, as Envoy orders them. */
export function configDump(clas: readonly Json[], lastUpdated: string): Json {
  return {
    configs: [
      { '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap: { node: { id: 'sidecar~10.0.0.9~sleep.default~default.svc.cluster.local' } } },
      { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', version_info: '2024-01-01T00:00:00Z/7' },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
        static_endpoint_configs: [{
          endpoint_config: {
            '@type': 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
            cluster_name: 'prometheus_stats',
            endpoints: [{ locality: {}, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 15000 } }, health_check_config: {} }, health_status: 'HEALTHY', load_balancing_weight: 1 }] }],
            policy: { overprovisioning_factor: 140 },
          },
        }],
        dynamic_endpoint_configs: clas.map((cla) => {
          const snake = snakeKeys(cla) as Json;
          for (const group of snake.endpoints ?? []) {
            for (const lb of group.lb_endpoints) {
              lb.endpoint.health_check_config = {};
              lb.health_status = 'HEALTHY';
            }
          }
          return {
            version_info: '2024-01-01T00:00:00Z/7',
            endpoint_config: { '@type': 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment', ...snake, policy: { overprovisioning_factor: 140 } },
            last_updated: lastUpdated,
          };
        }),
      },
    ],
  };
}

/** `/clusters?format=json` (snake_case, wrapped) or `istioctl proxy-config endpoint -o json` (camelCase array). */
export function clusterStatuses(clas: readonly Json[], style: 'envoy' | 'istioctl'): unknown {
  const statuses = clas.map((cla) => ({
    name: cla.clusterName,
    addedViaApi: true,
    hostStatuses: (cla.endpoints ?? []).flatMap((group: Json) => group.lbEndpoints.map((lb: Json) => ({
      address: lb.endpoint.address,
      stats: [{ name: 'cx_connect_fail' }, { name: 'cx_total' }, { type: 'GAUGE', name: 'rq_active' }],
      healthStatus: { edsHealthStatus: 'HEALTHY' },
      weight: lb.loadBalancingWeight,
      locality: group.locality,
    }))),
    edsServiceName: cla.clusterName,
  }));
  return style === 'envoy' ? { cluster_statuses: snakeKeys(statuses) } : statuses;
}

/** The lb endpoints of a cluster in a camelCase CLA list, to tamper with. */
export function lbEndpointsOf(clas: readonly Json[], cluster: string): Json[] {
  const cla = clas.find((c) => c.clusterName === cluster);
  if (!cla) throw new Error(`no cluster ${cluster} in ${clas.map((c) => c.clusterName).join(', ')}`);
  return cla.endpoints.flatMap((g: Json) => g.lbEndpoints);
}

/** Removes the lb endpoint at `address` from a cluster of a camelCase CLA list; returns it. */
export function dropEndpoint(clas: readonly Json[], cluster: string, address: string): Json {
  for (const group of clas.find((c) => c.clusterName === cluster)?.endpoints ?? []) {
    const i = group.lbEndpoints.findIndex((lb: Json) => lb.endpoint.address.socketAddress?.address === address);
    if (i >= 0) return group.lbEndpoints.splice(i, 1)[0];
  }
  throw new Error(`no endpoint ${address} in ${cluster}`);
}
