import type { Delta } from './Delta.js';
import { clusterName } from './format.js';
import { cmp, compareEndpoints, sameEndpoint, type EndpointRecord } from './EndpointRecord.js';
import { shardKey, splitShardKey, type MutableState } from './internal/MutableState.js';
import { shardEndpoints } from './internal/shardEndpoints.js';

/**
 * One Envoy cluster as a sidecar sees it: `outbound|port||host`, with the endpoints of every
 * ServiceEntry for that host and port, whatever its namespace (Envoy has one cluster per host and
 * port; the fold keeps endpoints by namespace).
 */
export interface Cluster {
  /** `outbound|port||host`, as istiod names the cluster (see `clusterName`). */
  readonly name: string;
  readonly host: string;
  /** The service port. */
  readonly port: number;
  /** In the documented endpoint order; `[]` in a cluster update means the cluster has none left. */
  readonly endpoints: readonly EndpointRecord[];
}

/** Endpoints of one host (already sorted) split into its clusters, in cluster-name order. */
export function clustersOfHost(host: string, endpoints: readonly EndpointRecord[]): Cluster[] {
  const byPort = new Map<number, EndpointRecord[]>();
  for (const e of endpoints) {
    let members = byPort.get(e.servicePort);
    if (!members) byPort.set(e.servicePort, members = []);
    members.push(e);
  }
  return [...byPort].map(([port, members]) => ({ name: clusterName(port, host), host, port, endpoints: members }))
    .sort((a, b) => cmp(a.name, b.name));
}

/** Every endpoint of `host`, across namespaces, sorted; `override` replaces some shards' lists. */
export function hostEndpoints(
  state: MutableState, host: string, override?: ReadonlyMap<string, readonly EndpointRecord[]>,
): EndpointRecord[] {
  const out: EndpointRecord[] = [];
  const namespaces = new Set(state.shards.namespacesOf(host));
  for (const key of override?.keys() ?? []) {
    const shard = splitShardKey(key);
    if (shard.host === host) namespaces.add(shard.namespace);
  }
  for (const namespace of namespaces) {
    const listed = override?.get(shardKey(namespace, host));
    out.push(...(listed ?? shardEndpoints(state, namespace, host)));
  }
  return out.sort(compareEndpoints);
}

/**
 * The clusters whose endpoints a change moved, each with its full new list: what an EDS server
 * pushes. `previous` holds the lists, before the change, of the shards it touched (by `ns/host`),
 * and the shard deltas their new lists; a host's shards in other namespaces did not change, and
 * are read from the state (a host rarely has any).
 */
export function clusterUpdates(state: MutableState, deltas: readonly Delta[], previous: ReadonlyMap<string, readonly EndpointRecord[]>): Cluster[] {
  const replaced = new Map<string, readonly EndpointRecord[]>();
  for (const d of deltas) if (d.type === 'shard-replaced') replaced.set(shardKey(d.namespace, d.host), d.endpoints);
  const hosts = new Set<string>();
  for (const key of replaced.keys()) hosts.add(splitShardKey(key).host);
  const out: Cluster[] = [];
  for (const host of [...hosts].sort()) {
    const namespaces = new Set(state.shards.namespacesOf(host));
    for (const key of previous.keys()) {
      const shard = splitShardKey(key);
      if (shard.host === host) namespaces.add(shard.namespace);
    }
    const before: EndpointRecord[] = [];
    const after: EndpointRecord[] = [];
    for (const namespace of namespaces) {
      const key = shardKey(namespace, host);
      const old = previous.get(key) ?? shardEndpoints(state, namespace, host);
      before.push(...old);
      after.push(...(replaced.get(key) ?? old));
    }
    // One namespace's list is sorted already; several are merged.
    if (namespaces.size > 1) {
      before.sort(compareEndpoints);
      after.sort(compareEndpoints);
    }
    const was = new Map(clustersOfHost(host, before).map((c) => [c.name, c]));
    for (const cluster of clustersOfHost(host, after)) {
      const old = was.get(cluster.name);
      was.delete(cluster.name);
      if (!old || !sameEndpoints(old.endpoints, cluster.endpoints)) out.push(cluster);
    }
    for (const gone of was.values()) out.push({ ...gone, endpoints: [] });
  }
  return out.sort((a, b) => cmp(a.name, b.name));
}

function sameEndpoints(a: readonly EndpointRecord[], b: readonly EndpointRecord[]): boolean {
  return a.length === b.length && a.every((e, i) => sameEndpoint(e, b[i]!));
}
