import { sizeOf, type Projector, type ProjectorSnapshot } from '@meshfold/core';

/**
 * Deltas a writer takes after each full snapshot before the next full one. Loading the state at
 * a seq then reads the full snapshot and at most this many deltas (each of the objects a spacing's
 * events changed), instead of one snapshot holding every live object written at every spacing.
 * A chain is read in one pass (`snapshotsAtOrBefore`), so each delta costs its own objects, not
 * a lookup: more, closer snapshots make the events replayed past the last one fewer at the same
 * cost of full snapshots.
 */
export const MAX_DELTAS = 7;

/**
 * What a writer of snapshots takes next: a delta of the objects changed since its previous
 * snapshot (see `Projector.toDelta`), or a full snapshot — its first, every MAX_DELTAS + 1st, and
 * whenever the changed objects are more than half of the live ones (a delta would cost about as
 * much to write and more to load). The changes are the writer's own, so a writer starting on a
 * log (which may end with another writer's snapshots) starts with a full one.
 */
export class SnapshotChain {
  #touched = new Set<string>();
  /** The seq of the last snapshot taken. */
  #last: number | undefined;
  /** Deltas taken since the last full snapshot. */
  #deltas = 0;

  /** Notes a change the fold applied to the object under `key` (`Kind/namespace/name`). */
  touch(key: string): void {
    this.#touched.add(key);
  }

  /** The snapshot of `projector` to write now. */
  take(projector: Projector): ProjectorSnapshot {
    const { serviceEntries, workloadEntries } = sizeOf(projector.state);
    const base = this.#last;
    const delta = base !== undefined && base < projector.seq && this.#deltas < MAX_DELTAS && this.#touched.size * 2 <= serviceEntries + workloadEntries;
    const snapshot = delta ? projector.toDelta(base, this.#touched) : projector.toSnapshot();
    this.#deltas = delta ? this.#deltas + 1 : 0;
    this.#last = projector.seq;
    this.#touched = new Set();
    return snapshot;
  }
}
