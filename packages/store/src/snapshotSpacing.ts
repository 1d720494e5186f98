import { sizeOf, type ProjectionState } from '@meshfold/core';
import { MAX_DELTAS } from './SnapshotChain.js';

/**
 * `snapshotEvery` when a writer is given none. Time travel replays fewer events than the spacing
 * past its snapshot, and that tail costs as much as loading the snapshot chain (docs: README,
 * "Time travel"); a writer snapshots mid-batch, so the spacing holds whatever the batch size.
 */
export const DEFAULT_SNAPSHOT_EVERY = 250;

/**
 * A full snapshot holds every live object, so one every K events alone would make recording a
 * mesh of n objects cost O(n²) in snapshots. Full snapshots at least an eighth of the live objects
 * apart keep their cost per event constant: replaying an event past a snapshot costs about eight
 * times what loading one object of it does, so a tail stays within about one full snapshot's load.
 * One snapshot in MAX_DELTAS + 1 is full (SnapshotChain), and a delta costs what its changes do,
 * so the spacing of all of them is that eighth divided by MAX_DELTAS + 1.
 */
export const LIVE_OBJECTS_PER_SNAPSHOT_EVENT = 8 * (MAX_DELTAS + 1);

/**
 * Events a writer lets pass between two snapshots of `state`: `snapshotEvery`, or the live
 * objects / (8 × (MAX_DELTAS + 1)) if that is more. Every writer of snapshots (in process or in a
 * worker) spaces them by this one rule, counting the events it folds one by one, so a log gets its
 * snapshots at the same seqs whoever folds it and however its events were batched.
 */
export function snapshotSpacing(state: ProjectionState, snapshotEvery: number): number {
  const { serviceEntries, workloadEntries } = sizeOf(state);
  return Math.max(snapshotEvery, Math.ceil((serviceEntries + workloadEntries) / LIVE_OBJECTS_PER_SNAPSHOT_EVENT));
}
