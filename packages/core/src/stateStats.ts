import type { ProjectionState } from './ProjectionState.js';
import type { SetMultimap } from './SetMultimap.js';

export interface StateStats {
  readonly serviceEntries: number;
  readonly workloadEntries: number;
  readonly associations: number;
  readonly shards: number;
  /** Entries across every index: what must stay linear in the mesh size (istio#25531). */
  readonly indexEntries: number;
}

export function stateStats(state: ProjectionState): StateStats {
  return {
    serviceEntries: state.serviceEntries.size,
    workloadEntries: state.workloadEntries.size,
    associations: entries(state.selected),
    shards: state.shards.size,
    indexEntries: state.workloadsByLabel.entries() + state.selectorsByLabel.entries()
      + [state.emptySelectors, state.selected, state.shards].reduce((sum, m) => sum + entries(m), 0),
  };
}

function entries(m: SetMultimap): number {
  let n = 0;
  for (const key of m.keys()) n += m.count(key);
  return n;
}
