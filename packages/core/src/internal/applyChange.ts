import type { Delta } from '../Delta.js';
import { sameEndpoint, type EndpointRecord } from '../EndpointRecord.js';
import { splitShardKey, type MutableState } from './MutableState.js';
import { nameKey } from '../keys.js';
import { type ObjectRecord, type ServiceEntryRecord, type WorkloadEntryRecord } from '../records.js';
import {
  ensureSelectorIndexed, hostShards, indexService, indexWorkload, reindexWorkload, selectedNames, selectingServices, unindexService,
  unindexWorkload,
} from './stateIndexes.js';
import { shardEndpoints } from './shardEndpoints.js';

/**
 * One step of the fold: an explicit (old, new) pair of one object. `old` is the last version
 * the fold saw (never a delete payload), `new` is absent for a delete. The indexes are always
 * updated from the version the state holds, so even a stale `old` cannot leave an association
 * behind (istio#25678).
 */
export interface Change {
  readonly seq: number;
  /** `Kind/namespace/name`. */
  readonly key: string;
  readonly old?: ObjectRecord | undefined;
  readonly new?: ObjectRecord | undefined;
}

/**
 * Applies one change to the state and returns what changed. With `previous`, the endpoint lists
 * of the shards the change touched, as they were before it, are put there. Work is proportional to what the
 * change affects: the ServiceEntries it was or becomes associated with and their shards.
 * With `emit` false only association deltas come back (they cost nothing extra): replay needs
 * the state, and skipping the before/after endpoint lists of the shards makes it much cheaper.
 */
export function applyChange(state: MutableState, change: Change, emit = true, previous?: Map<string, EndpointRecord[]>): Delta[] {
  const rec = change.new ?? change.old;
  if (!rec) return [];
  return rec.kind === 'ServiceEntry'
    ? applyService(state, change.old as ServiceEntryRecord | undefined, change.new as ServiceEntryRecord | undefined, emit, previous)
    : applyWorkload(state, change.old as WorkloadEntryRecord | undefined, change.new as WorkloadEntryRecord | undefined, emit, previous);
}

function applyWorkload(
  state: MutableState, old: WorkloadEntryRecord | undefined, nu: WorkloadEntryRecord | undefined, emit: boolean,
  out: Map<string, EndpointRecord[]> | undefined,
): Delta[] {
  const { namespace, name } = (nu ?? old)!;
  // What selects the stored record now is what was linked to it (istio#25678: never a delete payload).
  const stored = state.workloadEntries.getIn(namespace, name);
  const before = stored ? selectingServices(state, stored) : [];
  const after = nu ? selectingServices(state, nu) : [];
  const previous = emit ? endpointsByShard(state, shardsOfServices(state, namespace, [...before, ...after]), out) : undefined;

  // The stored record, not `old`, leaves the indexes: they hold what was stored.
  if (stored && nu) reindexWorkload(state, stored, nu);
  else if (stored) unindexWorkload(state, stored);
  else if (nu) indexWorkload(state, nu);
  const links = associationDeltas(namespace, after, before, (se) => [`${namespace}/${se}`, (nu ?? old)!.name]);
  return previous ? [...links, ...shardDeltas(state, previous)] : links;
}

function applyService(
  state: MutableState, old: ServiceEntryRecord | undefined, nu: ServiceEntryRecord | undefined, emit: boolean,
  out: Map<string, EndpointRecord[]> | undefined,
): Delta[] {
  const { namespace, name } = (nu ?? old)!;
  const seKey = nameKey((nu ?? old)!);
  // Associations are derived: the old ones from the stored record, before it is unindexed.
  const stored = state.serviceEntries.getIn(namespace, name);
  const before = selectedNames(state, stored);
  if (nu) ensureSelectorIndexed(state, nu);
  const after = selectedNames(state, nu);
  const previous = emit ? endpointsByShard(state, new Set([...hostShards(stored), ...hostShards(nu)]), out) : undefined;

  if (stored) unindexService(state, stored);
  if (nu) indexService(state, nu);
  const links = associationDeltas(namespace, after, before, (we) => [seKey, we]);
  return previous ? [...serviceDeltas(seKey, stored, nu), ...links, ...shardDeltas(state, previous)] : links;
}

/**
 * The association deltas from `before` to `after`; `pair` orders (serviceEntry key, workload
 * name). Names sort as their `namespace/name` keys do: one namespace.
 */
function associationDeltas(namespace: string, after: string[], before: string[], pair: (other: string) => [string, string]): Delta[] {
  const removed = minus(before, after).sort().map(pair);
  const added = minus(after, before).sort().map(pair);
  return [
    ...removed.map(([serviceEntry, we]) => ({ type: 'association-removed' as const, serviceEntry, workloadEntry: `${namespace}/${we}` })),
    ...added.map(([serviceEntry, we]) => ({ type: 'association-added' as const, serviceEntry, workloadEntry: `${namespace}/${we}` })),
  ];
}

function shardsOfServices(state: MutableState, namespace: string, names: string[]): Set<string> {
  const out = new Set<string>();
  const inNamespace = state.serviceEntries.inNamespace(namespace);
  for (const name of names) for (const s of hostShards(inNamespace.get(name))) out.add(s);
  return out;
}

/**
 * Keyed by `ns/host`, so the deltas come out in shard-key order; `out`, when given, is the map
 * filled (the caller keeps the lists from before the change, for cluster updates).
 */
function endpointsByShard(state: MutableState, shards: Set<string>, out = new Map<string, EndpointRecord[]>()): Map<string, EndpointRecord[]> {
  for (const s of shards) out.set(s, endpointsOfShard(state, s));
  return out;
}

function shardDeltas(state: MutableState, previous: Map<string, EndpointRecord[]>): Delta[] {
  const out: Delta[] = [];
  for (const key of [...previous.keys()].sort()) {
    const endpoints = endpointsOfShard(state, key);
    if (sameEndpoints(previous.get(key)!, endpoints)) continue;
    out.push({ type: 'shard-replaced', ...splitShardKey(key), endpoints });
  }
  return out;
}

function endpointsOfShard(state: MutableState, key: string): EndpointRecord[] {
  const { namespace, host } = splitShardKey(key);
  return shardEndpoints(state, namespace, host);
}

/** `xs` without `ys`; a linear scan for the usual handful of elements, a Set beyond. */
function minus(xs: string[], ys: string[]): string[] {
  if (ys.length === 0) return xs;
  if (ys.length < 16) return xs.filter((x) => !ys.includes(x));
  const set = new Set(ys);
  return xs.filter((x) => !set.has(x));
}

function sameEndpoints(a: EndpointRecord[], b: EndpointRecord[]): boolean {
  return a.length === b.length && a.every((e, i) => sameEndpoint(e, b[i]!));
}

/** Service-level changes per (ServiceEntry, host): a host gained, lost, or its service definition edited. */
function serviceDeltas(seKey: string, old: ServiceEntryRecord | undefined, nu: ServiceEntryRecord | undefined): Delta[] {
  const namespace = (nu ?? old)!.namespace;
  const oldHosts = new Set(old?.hosts ?? []);
  const newHosts = new Set(nu?.hosts ?? []);
  const edited = old !== undefined && nu !== undefined && serviceDefinition(old) !== serviceDefinition(nu);
  const out: Delta[] = [];
  for (const host of [...new Set([...oldHosts, ...newHosts])].sort()) {
    const type = !newHosts.has(host) ? 'service-removed'
      : !oldHosts.has(host) ? 'service-added'
        : edited ? 'service-updated' : undefined;
    if (type) out.push({ type, serviceEntry: seKey, host, namespace });
  }
  return out;
}

/** What istiod's model.Service holds besides the host; endpoint edits are shard deltas instead. */
function serviceDefinition(se: ServiceEntryRecord): string {
  const selector = se.selector ? Object.entries(se.selector).sort() : null;
  return JSON.stringify([se.addresses, se.ports, se.location, se.resolution, selector]);
}
