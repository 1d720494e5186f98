import { shardKey, type MutableState } from './MutableState.js';
import type { ServiceEntryRecord, WorkloadEntryRecord } from '../records.js';
import { selects } from '../selects.js';
import { labelValue } from './labels.js';

/**
 * The state's indexes: how an object is entered into and removed from them, and the two
 * lookups they exist for — candidate ServiceEntries of a workload, workloads of a selector.
 * Shared by the fold (one change at a time) and the bulk build of a snapshot.
 */

/** Names of the ServiceEntries (in `we`'s namespace) whose selector could match `we`: only those sharing a label, or empty selectors. */
export function candidateServices(state: MutableState, we: WorkloadEntryRecord): string[] {
  const found = new Set(state.emptySelectors.get(we.namespace));
  for (const key in we.labels) {
    for (const se of state.selectorsByLabel.get(we.namespace, key, we.labels[key]!)) found.add(se);
  }
  return [...found];
}

/** Names of the ServiceEntries selecting `we`, which must be the workload's stored record (or its next one). */
export function selectingServices(state: MutableState, we: WorkloadEntryRecord): string[] {
  const inNamespace = state.serviceEntries.inNamespace(we.namespace);
  return candidateServices(state, we).filter((name) => selects(inNamespace.get(name)!, we));
}

/**
 * The workloads `se` selects, in no particular order, starting from its rarest selector label.
 * This is the association index: storing it as well cost an array and a hash-table entry per
 * ServiceEntry (~16 bytes per endpoint), for lookups the label index answers in the same time.
 * Every selector key of an indexed ServiceEntry is indexed (see `indexService`); for one not yet
 * indexed, call `ensureSelectorIndexed` first.
 */
export function selectWorkloads(state: MutableState, se: ServiceEntryRecord): WorkloadEntryRecord[] {
  if (!se.selector) return [];
  let candidates: string[] | undefined;
  for (const key in se.selector) {
    const value = se.selector[key]!;
    if (candidates === undefined || state.workloadsByLabel.count(se.namespace, key, value) < candidates.length) {
      candidates = state.workloadsByLabel.get(se.namespace, key, value);
    }
  }
  const inNamespace = state.workloadEntries.inNamespace(se.namespace);
  const out: WorkloadEntryRecord[] = [];
  if (candidates === undefined) {
    // An empty selector takes the whole namespace: a scan, as large as its answer.
    for (const we of inNamespace.values()) if (selects(se, we)) out.push(we);
    return out;
  }
  for (const name of candidates) {
    const we = inNamespace.get(name)!;
    if (selects(se, we)) out.push(we);
  }
  return out;
}

/** Names of the workloads `se` selects, sorted (as their `namespace/name` keys sort: one namespace). */
export function selectedNames(state: MutableState, se: ServiceEntryRecord | undefined): string[] {
  return se ? selectWorkloads(state, se).map((we) => we.name).sort() : [];
}

export function ensureSelectorIndexed(state: MutableState, se: ServiceEntryRecord): void {
  for (const key in se.selector) ensureLabelIndexed(state, se.namespace, key);
}

/** The first selector on `key` in `namespace` indexes that key for the workloads already there. */
export function ensureLabelIndexed(state: MutableState, namespace: string, key: string): void {
  if (state.workloadsByLabel.hasKey(namespace, key)) return;
  state.workloadsByLabel.addKey(namespace, key);
  for (const we of state.workloadEntries.inNamespace(namespace).values()) {
    const value = labelValue(we.labels, key);
    if (value !== undefined) state.workloadsByLabel.add(namespace, key, value, we.name);
  }
}

export function indexWorkload(state: MutableState, we: WorkloadEntryRecord): void {
  state.workloadEntries.set(we);
  for (const key in we.labels) {
    if (state.workloadsByLabel.hasKey(we.namespace, key)) state.workloadsByLabel.add(we.namespace, key, we.labels[key]!, we.name);
  }
}

/**
 * `old` replaced by `now` (same name): only the label entries that differ move, and the object
 * map is written once. A relabel touches one or two labels; at mesh scale every hash-table
 * operation is a likely cache miss, so the ones skipped here are most of a relabel's cost.
 */
export function reindexWorkload(state: MutableState, old: WorkloadEntryRecord, now: WorkloadEntryRecord): void {
  const ns = now.namespace;
  // Moved entries take the name string `now` holds anyway; untouched ones keep sharing the old.
  const name = now.name;
  state.workloadEntries.set(now);
  if (old.labels === now.labels) return;
  for (const key in old.labels) {
    const before = old.labels[key]!;
    if (labelValue(now.labels, key) !== before && state.workloadsByLabel.hasKey(ns, key)) state.workloadsByLabel.delete(ns, key, before, name);
  }
  for (const key in now.labels) {
    const after = now.labels[key]!;
    if (labelValue(old.labels, key) !== after && state.workloadsByLabel.hasKey(ns, key)) state.workloadsByLabel.add(ns, key, after, name);
  }
}

export function unindexWorkload(state: MutableState, we: WorkloadEntryRecord): void {
  state.workloadEntries.delete(we.namespace, we.name);
  for (const key in we.labels) {
    if (state.workloadsByLabel.hasKey(we.namespace, key)) state.workloadsByLabel.delete(we.namespace, key, we.labels[key]!, we.name);
  }
}

export function indexService(state: MutableState, se: ServiceEntryRecord): void {
  ensureSelectorIndexed(state, se);
  const { namespace, name } = se;
  state.serviceEntries.set(se);
  for (const host of se.hosts) state.shards.add(namespace, host, name);
  if (!se.selector) return;
  const keys = Object.keys(se.selector);
  if (keys.length === 0) state.emptySelectors.add(namespace, name);
  for (const key of keys) state.selectorsByLabel.add(namespace, key, se.selector[key]!, name);
}

export function unindexService(state: MutableState, se: ServiceEntryRecord): void {
  const { namespace, name } = se;
  state.serviceEntries.delete(namespace, name);
  for (const host of se.hosts) state.shards.delete(namespace, host, name);
  if (!se.selector) return;
  state.emptySelectors.delete(namespace, name);
  for (const key in se.selector) state.selectorsByLabel.delete(namespace, key, se.selector[key]!, name);
}

/** `ns/host` keys of `se`'s shards: built per change, to collect and order the shards it touches. */
export function hostShards(se: ServiceEntryRecord | undefined): string[] {
  return se ? se.hosts.map((h) => shardKey(se.namespace, h)) : [];
}

