import { Observable, type OperatorFunction } from 'rxjs';
import type { Change } from './internal/applyChange.js';
import type { Cluster } from './clusters.js';
import type { Delta } from './Delta.js';
import { isMeshfoldError, type MeshfoldError, type Notice } from './MeshfoldError.js';
import type { WatchEvent } from './objects.js';
import type { ProjectionState } from './internal/MutableState.js';
import { Projector } from './Projector.js';

/** One applied event that did something. `state` is the live state: read it, don't keep it. */
export interface ProjectionStep {
  readonly seq: number;
  readonly change: Change;
  readonly deltas: readonly Delta[];
  /** The `outbound|port||host` clusters the event moved, each with its full new endpoint list (`[]`: none left). */
  readonly clusters: readonly Cluster[];
  readonly state: ProjectionState;
}

/** Where `project()` starts and where it reports what it does not apply. */
export interface ProjectOptions {
  /**
   * The projector to continue, called once per subscription: one loaded from a log (store's
   * `loadState`) or a snapshot (`Projector.fromSnapshot`). The stream's events then pair against
   * the objects it holds, and unnumbered events continue from its `seq`. Default: a new, empty one.
   */
  readonly from?: () => Projector;
  /**
   * Called for an event the fold refuses (a coded `MeshfoldError`); it takes no seq. Without it
   * an invalid event errors the stream, as an Observable should rather than drop data silently.
   */
  readonly onRejected?: (error: MeshfoldError) => void;
  /** Called for an event accepted with a notice (a delete of an object the state does not hold). */
  readonly onNotice?: (notice: Notice, seq: number) => void;
}

/**
 * Watch events (optionally carrying a `seq`) → steps carrying deltas, through one `Projector`
 * per subscription: each event is paired with the last version its state holds, so a stream
 * resumed from a loaded state handles deletes as one uninterrupted run would. A change that
 * changes nothing emits nothing, so a subscriber sees an EDS-like stream of only what moved.
 */
export function project(options: ProjectOptions = {}): OperatorFunction<WatchEvent & { seq?: number }, ProjectionStep> {
  return (source) => new Observable<ProjectionStep>((subscriber) => {
    const projector = options.from ? options.from() : new Projector();
    return source.subscribe({
      next(event) {
        let result;
        try {
          result = projector.apply(event, event.seq ?? projector.seq + 1);
        } catch (err) {
          if (!isMeshfoldError(err) || !options.onRejected) {
            subscriber.error(err);
            return;
          }
          options.onRejected(err);
          return;
        }
        if (result.notice) options.onNotice?.(result.notice, result.seq);
        if (result.change && result.deltas.length > 0) {
          subscriber.next({ seq: result.seq, change: result.change, deltas: result.deltas, clusters: result.clusters, state: projector.state });
        }
      },
      error: (err) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
  });
}
