import { concatMap, defer, EMPTY, of, type OperatorFunction } from 'rxjs';
import { applyChange, type Change } from './applyChange.js';
import type { Delta } from './Delta.js';
import { createState, type ProjectionState } from './ProjectionState.js';

/** One applied change that did something. `state` is the live state: read it, don't keep it. */
export interface ProjectionStep {
  readonly seq: number;
  readonly change: Change;
  readonly deltas: readonly Delta[];
  readonly state: ProjectionState;
}

/**
 * Changes → steps carrying deltas. A change that changes nothing emits nothing, so a subscriber
 * sees an EDS-like stream of only what moved.
 */
export function project(initial: () => ProjectionState = createState): OperatorFunction<Change, ProjectionStep> {
  return (source) => defer(() => {
    const state = initial();
    return source.pipe(concatMap((change) => {
      const deltas = applyChange(state, change);
      return deltas.length === 0 ? EMPTY : of({ seq: change.seq, change, deltas, state });
    }));
  });
}
