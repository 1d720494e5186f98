import { clusterName, clusterType, inEds, objectsOf, workloadMetadata, type EndpointRecord, type ProjectionState } from '@meshfold/core';
import type { DumpCluster, DumpEndpoint, ProxyDump } from './readDump.js';
import { trimLocality } from './readDump.js';

/**
 * The kinds of difference between what a proxy holds and the truth, per cluster. `wrong-labels`
 * is the `istio.workload` metadata, which carries the workload's name and its canonical name and
 * revision labels.
 */
export const DIFFERENCE_KINDS = [
  'missing-cluster', 'extra-cluster', 'missing', 'stale', 'wrong-port',
  'wrong-weight', 'wrong-locality', 'wrong-tls-mode', 'wrong-labels',
] as const;
export type DifferenceKind = typeof DIFFERENCE_KINDS[number];

/** One Envoy EDS cluster as istiod should send it at a point: possibly with no endpoint at all. */
export interface TruthCluster {
  readonly name: string;
  readonly host: string;
  readonly servicePort: number;
  readonly endpoints: readonly EndpointRecord[];
}

/** A difference before the log explains it: which cluster, and the endpoint on each side. */
export interface RawDifference {
  readonly kind: DifferenceKind;
  readonly cluster: string;
  readonly host: string;
  readonly servicePort: number;
  /** The endpoint as the proxy holds it (absent for missing). */
  readonly proxy?: DumpEndpoint;
  /** The endpoint as the truth has it (absent for stale and extra clusters). */
  readonly truth?: EndpointRecord;
}

/** Clusters of the dump that were not compared, by why. */
export interface IgnoredClusters {
  /** Not `outbound|PORT|SUBSET|HOST` of a host any ServiceEntry holds at the point (Kubernetes Services, inbound, Envoy's own). */
  other: number;
  /** `outbound|PORT|SUBSET|HOST` with a subset: DestinationRules are not modelled. */
  subset: number;
  /** A ServiceEntry host istiod serves without EDS (DNS, DNS_ROUND_ROBIN, NONE): Envoy resolves its endpoints. */
  notEds: number;
}

export interface Comparison {
  /** Clusters compared: in the truth, in the dump, or both. */
  readonly clusters: number;
  /** Endpoints compared: pairs found on both sides plus those on one side only. */
  readonly endpoints: number;
  readonly ignored: IgnoredClusters;
  readonly differences: readonly RawDifference[];
}

/**
 * The EDS clusters of the truth: one per host and port of every STATIC ServiceEntry (with no
 * endpoints when none is selected: istiod still sends the cluster), and the hosts the point knows,
 * with whether istiod serves them by EDS.
 */
export function truthOf(state: ProjectionState, endpoints: readonly EndpointRecord[]): { clusters: Map<string, TruthCluster>; hosts: Map<string, boolean> } {
  const clusters = new Map<string, TruthCluster & { endpoints: EndpointRecord[] }>();
  const hosts = new Map<string, boolean>();
  for (const se of objectsOf(state)) {
    if (se.kind !== 'ServiceEntry') continue;
    const eds = clusterType(se.resolution) === 'EDS';
    for (const host of se.hosts) {
      hosts.set(host, (hosts.get(host) ?? false) || eds);
      if (!eds) continue;
      for (const port of se.ports) {
        const name = clusterName(port.number, host);
        if (!clusters.has(name)) clusters.set(name, { name, host, servicePort: port.number, endpoints: [] });
      }
    }
  }
  for (const e of endpoints) {
    if (!inEds(e)) continue;
    clusters.get(clusterName(e.servicePort, e.host))?.endpoints.push(e);
  }
  return { clusters, hosts };
}

/** `outbound|PORT|SUBSET|HOST`, parsed; anything else is undefined. */
export function parseClusterName(name: string): { port: number; subset: string; host: string } | undefined {
  const m = /^outbound\|(\d+)\|([^|]*)\|(.+)$/.exec(name);
  return m ? { port: Number(m[1]), subset: m[2]!, host: m[3]! } : undefined;
}

/** Compares every EDS cluster of the truth with the dump's, endpoint by endpoint. */
export function compareDump(truth: { clusters: Map<string, TruthCluster>; hosts: Map<string, boolean> }, dump: ProxyDump): Comparison {
  const ignored: IgnoredClusters = { other: 0, subset: 0, notEds: 0 };
  const proxied = new Map<string, DumpCluster>();
  for (const cluster of dump.clusters) {
    const parsed = parseClusterName(cluster.name);
    const eds = parsed && truth.hosts.get(parsed.host);
    if (!parsed || eds === undefined) ignored.other++;
    else if (parsed.subset !== '') ignored.subset++;
    else if (!eds) ignored.notEds++;
    else proxied.set(cluster.name, mergeInto(proxied.get(cluster.name), cluster));
  }
  const differences: RawDifference[] = [];
  let endpoints = 0;
  const names = new Set([...truth.clusters.keys(), ...proxied.keys()]);
  for (const name of names) {
    const t = truth.clusters.get(name);
    const p = proxied.get(name);
    const parsed = parseClusterName(name)!;
    const servicePort = t?.servicePort ?? parsed.port;
    const host = t?.host ?? parsed.host;
    const at = { cluster: name, host, servicePort };
    if (!p) {
      differences.push({ kind: 'missing-cluster', ...at });
      endpoints += t!.endpoints.length;
      continue;
    }
    if (!t) {
      differences.push({ kind: 'extra-cluster', ...at });
      endpoints += p.endpoints.length;
      continue;
    }
    endpoints += compareCluster(t, p, at, differences);
  }
  return { clusters: names.size, endpoints, ignored, differences };
}

/** A cluster listed twice (two EndpointsConfigDumps, static and dynamic) is one set of endpoints. */
function mergeInto(previous: DumpCluster | undefined, cluster: DumpCluster): DumpCluster {
  return previous ? { name: cluster.name, endpoints: [...previous.endpoints, ...cluster.endpoints] } : cluster;
}

/**
 * Pairs endpoints by address and port, then pairs what is left by address alone (the same
 * workload on another port); returns the number of endpoints compared.
 */
function compareCluster(t: TruthCluster, p: DumpCluster, at: Pick<RawDifference, 'cluster' | 'host' | 'servicePort'>, out: RawDifference[]): number {
  const byKey = new Map<string, DumpEndpoint[]>();
  for (const e of p.endpoints) push(byKey, `${e.address}|${e.port}`, e);
  const unmatchedTruth: EndpointRecord[] = [];
  let compared = 0;
  for (const e of t.endpoints) {
    const proxy = byKey.get(`${e.address}|${e.port}`)?.shift();
    if (!proxy) { unmatchedTruth.push(e); continue; }
    compared++;
    for (const kind of attributeDifferences(e, proxy)) out.push({ kind, ...at, proxy, truth: e });
  }
  const unmatchedProxy = new Map<string, DumpEndpoint[]>();
  for (const list of byKey.values()) for (const e of list) push(unmatchedProxy, e.address, e);
  for (const e of unmatchedTruth) {
    compared++;
    const proxy = unmatchedProxy.get(e.address)?.shift();
    out.push(proxy ? { kind: 'wrong-port', ...at, proxy, truth: e } : { kind: 'missing', ...at, truth: e });
  }
  for (const list of unmatchedProxy.values()) {
    for (const proxy of list) { compared++; out.push({ kind: 'stale', ...at, proxy }); }
  }
  return compared;
}

/** The fields the dump carries that differ from the truth's. */
function attributeDifferences(truth: EndpointRecord, proxy: DumpEndpoint): DifferenceKind[] {
  const kinds: DifferenceKind[] = [];
  if (proxy.weight !== undefined && proxy.weight !== truthWeight(truth)) kinds.push('wrong-weight');
  if (proxy.locality !== undefined && proxy.locality !== truthLocality(truth)) kinds.push('wrong-locality');
  if (proxy.tlsMode !== undefined && proxy.tlsMode !== truthTlsMode(truth)) kinds.push('wrong-tls-mode');
  if (proxy.workload !== undefined && proxy.workload !== workloadMetadata(truth)) kinds.push('wrong-labels');
  return kinds;
}

/** Envoy's weight for an endpoint: 0 (unset) is 1. */
export function truthWeight(e: EndpointRecord): number {
  return e.weight > 0 ? e.weight : 1;
}

export function truthLocality(e: EndpointRecord): string {
  return trimLocality(e.locality.split('/'));
}

/** What the transport-socket match says: with no DestinationRule only `istio` is sent. */
export function truthTlsMode(e: EndpointRecord): string {
  return e.tlsMode === 'istio' ? 'istio' : 'disabled';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
