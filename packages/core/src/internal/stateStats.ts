import type { MutableState } from './MutableState.js';
import type { SetMultimap } from './SetMultimap.js';
import { selectWorkloads } from './stateIndexes.js';

export interface StateStats {
  readonly serviceEntries: number;
  readonly workloadEntries: number;
  /** Derived, not stored: counting them walks every selector. */
  readonly associations: number;
  readonly shards: number;
  /** Entries across every index: what must stay linear in the mesh size (istio#25531). */
  readonly indexEntries: number;
}

export function stateStats(state: MutableState): StateStats {
  return {
    serviceEntries: state.serviceEntries.size,
    workloadEntries: state.workloadEntries.size,
    associations: associations(state),
    shards: state.shards.size,
    indexEntries: state.workloadsByLabel.entries() + state.selectorsByLabel.entries()
      + entries(state.emptySelectors) + state.shards.entries(),
  };
}

function associations(state: MutableState): number {
  let n = 0;
  for (const se of state.serviceEntries.values()) n += selectWorkloads(state, se).length;
  return n;
}

function entries(m: SetMultimap): number {
  let n = 0;
  for (const key of m.keys()) n += m.count(key);
  return n;
}
