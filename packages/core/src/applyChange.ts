import type { Delta } from './Delta.js';
import { endpointIdentity, type EndpointRecord } from './EndpointRecord.js';
import { labelKey, shardKey, splitShardKey, type ProjectionState } from './ProjectionState.js';
import { nameKey, type ObjectRecord, type ServiceEntryRecord, type WorkloadEntryRecord } from './records.js';
import { selects } from './selects.js';
import { shardEndpoints } from './shardEndpoints.js';

/**
 * One step of the fold: an explicit (old, new) pair of one object. `old` is the last version
 * the fold saw (never a delete payload), `new` is absent for a delete.
 */
export interface Change {
  readonly seq: number;
  /** `Kind/namespace/name`. */
  readonly key: string;
  readonly old?: ObjectRecord | undefined;
  readonly new?: ObjectRecord | undefined;
}

/**
 * Applies one change to the state and returns what changed. Work is proportional to what the
 * change affects: the ServiceEntries it was or becomes associated with and their shards.
 * With `emit` false only association deltas come back (they cost nothing extra): replay needs
 * the state, and skipping the before/after endpoint lists of the shards makes it much cheaper.
 */
export function applyChange(state: ProjectionState, change: Change, emit = true): Delta[] {
  const rec = change.new ?? change.old;
  if (!rec) return [];
  return rec.kind === 'ServiceEntry'
    ? applyService(state, change.old as ServiceEntryRecord | undefined, change.new as ServiceEntryRecord | undefined, emit)
    : applyWorkload(state, change.old as WorkloadEntryRecord | undefined, change.new as WorkloadEntryRecord | undefined, emit);
}

function applyWorkload(
  state: ProjectionState, old: WorkloadEntryRecord | undefined, nu: WorkloadEntryRecord | undefined, emit: boolean,
): Delta[] {
  const weKey = nameKey((nu ?? old)!);
  const before = state.selectedBy.get(weKey);
  const after = nu ? candidateServices(state, nu).filter((se) => selects(state.serviceEntries.get(se)!, nu)) : [];
  const previous = emit ? endpointsByShard(state, shardsOfServices(state, [...before, ...after])) : undefined;

  if (old) unindexWorkload(state, weKey, old);
  if (nu) indexWorkload(state, weKey, nu);
  const links = relink(state, after, before, (se) => [se, weKey]);
  return previous ? [...links, ...shardDeltas(state, previous)] : links;
}

function applyService(
  state: ProjectionState, old: ServiceEntryRecord | undefined, nu: ServiceEntryRecord | undefined, emit: boolean,
): Delta[] {
  const seKey = nameKey((nu ?? old)!);
  const before = state.selected.get(seKey);
  const after = nu ? selectWorkloads(state, nu) : [];
  const previous = emit ? endpointsByShard(state, new Set([...hostShards(old), ...hostShards(nu)])) : undefined;

  if (old) unindexService(state, seKey, old);
  if (nu) indexService(state, seKey, nu);
  const links = relink(state, after, before, (we) => [seKey, we]);
  return previous ? [...serviceDeltas(seKey, old, nu), ...links, ...shardDeltas(state, previous)] : links;
}

/** ServiceEntries whose selector could match `we`: only those sharing a label, or empty selectors. */
function candidateServices(state: ProjectionState, we: WorkloadEntryRecord): string[] {
  const found = new Set(state.emptySelectors.get(we.namespace));
  for (const key in we.labels) {
    for (const se of state.selectorsByLabel.get(labelKey(we.namespace, key, we.labels[key]!))) found.add(se);
  }
  return [...found];
}

/** Workloads matching `se`, starting from its rarest selector label. */
function selectWorkloads(state: ProjectionState, se: ServiceEntryRecord): string[] {
  if (!se.selector) return [];
  let candidates: string[] | undefined;
  for (const key in se.selector) {
    ensureLabelIndexed(state, se.namespace, key);
    const lk = labelKey(se.namespace, key, se.selector[key]!);
    if (candidates === undefined || state.workloadsByLabel.count(lk) < candidates.length) {
      candidates = state.workloadsByLabel.get(lk);
    }
  }
  // An empty selector takes the whole namespace: a scan, but only when such a ServiceEntry changes.
  candidates ??= [...state.workloadEntries.keys()].filter((we) => state.workloadEntries.get(we)!.namespace === se.namespace);
  return candidates.filter((we) => selects(se, state.workloadEntries.get(we)!));
}

/** The first selector on `key` in `namespace` indexes that key for the workloads already there. */
function ensureLabelIndexed(state: ProjectionState, namespace: string, key: string): void {
  if (state.indexedLabelKeys.has(namespace, key)) return;
  state.indexedLabelKeys.add(namespace, key);
  for (const [weKey, we] of state.workloadEntries) {
    const value = we.labels[key];
    if (we.namespace === namespace && value !== undefined) state.workloadsByLabel.add(labelKey(namespace, key, value), weKey);
  }
}

function indexWorkload(state: ProjectionState, weKey: string, we: WorkloadEntryRecord): void {
  state.workloadEntries.set(weKey, we);
  for (const key in we.labels) {
    if (state.indexedLabelKeys.has(we.namespace, key)) state.workloadsByLabel.add(labelKey(we.namespace, key, we.labels[key]!), weKey);
  }
}

function unindexWorkload(state: ProjectionState, weKey: string, we: WorkloadEntryRecord): void {
  state.workloadEntries.delete(weKey);
  for (const key in we.labels) {
    if (state.indexedLabelKeys.has(we.namespace, key)) state.workloadsByLabel.delete(labelKey(we.namespace, key, we.labels[key]!), weKey);
  }
}

function indexService(state: ProjectionState, seKey: string, se: ServiceEntryRecord): void {
  state.serviceEntries.set(seKey, se);
  for (const shard of hostShards(se)) state.shards.add(shard, seKey);
  if (!se.selector) return;
  const keys = Object.keys(se.selector);
  if (keys.length === 0) state.emptySelectors.add(se.namespace, seKey);
  for (const key of keys) state.selectorsByLabel.add(labelKey(se.namespace, key, se.selector[key]!), seKey);
}

function unindexService(state: ProjectionState, seKey: string, se: ServiceEntryRecord): void {
  state.serviceEntries.delete(seKey);
  for (const shard of hostShards(se)) state.shards.delete(shard, seKey);
  if (!se.selector) return;
  state.emptySelectors.delete(se.namespace, seKey);
  for (const key in se.selector) state.selectorsByLabel.delete(labelKey(se.namespace, key, se.selector[key]!), seKey);
}

/** Brings the association indexes from `before` to `after`; `pair` orders (serviceEntry, workloadEntry). */
function relink(
  state: ProjectionState, after: string[], before: string[], pair: (other: string) => [string, string],
): Delta[] {
  const afterSet = new Set(after);
  const beforeSet = new Set(before);
  const removed = before.filter((x) => !afterSet.has(x)).sort().map(pair);
  const added = after.filter((x) => !beforeSet.has(x)).sort().map(pair);
  for (const [se, we] of removed) {
    state.selected.delete(se, we);
    state.selectedBy.delete(we, se);
  }
  for (const [se, we] of added) {
    state.selected.add(se, we);
    state.selectedBy.add(we, se);
  }
  return [
    ...removed.map(([serviceEntry, workloadEntry]) => ({ type: 'association-removed' as const, serviceEntry, workloadEntry })),
    ...added.map(([serviceEntry, workloadEntry]) => ({ type: 'association-added' as const, serviceEntry, workloadEntry })),
  ];
}

function hostShards(se: ServiceEntryRecord | undefined): string[] {
  return se ? se.hosts.map((h) => shardKey(se.namespace, h)) : [];
}

function shardsOfServices(state: ProjectionState, seKeys: string[]): Set<string> {
  const out = new Set<string>();
  for (const seKey of seKeys) for (const s of hostShards(state.serviceEntries.get(seKey))) out.add(s);
  return out;
}

function endpointsByShard(state: ProjectionState, shards: Set<string>): Map<string, EndpointRecord[]> {
  const out = new Map<string, EndpointRecord[]>();
  for (const s of shards) out.set(s, shardEndpoints(state, s));
  return out;
}

function shardDeltas(state: ProjectionState, previous: Map<string, EndpointRecord[]>): Delta[] {
  const out: Delta[] = [];
  for (const key of [...previous.keys()].sort()) {
    const endpoints = shardEndpoints(state, key);
    if (sameEndpoints(previous.get(key)!, endpoints)) continue;
    out.push({ type: 'shard-replaced', ...splitShardKey(key), endpoints });
  }
  return out;
}

function sameEndpoints(a: EndpointRecord[], b: EndpointRecord[]): boolean {
  return a.length === b.length && a.every((e, i) => endpointIdentity(e) === endpointIdentity(b[i]!));
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
