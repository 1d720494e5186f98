import { sizeOf, type ProjectionState } from '@meshfold/core';

/**
 * A snapshot holds every live object, so one every K events alone would make recording a mesh of
 * n objects cost O(n²) in snapshots. Spacing snapshots at least an eighth of the live objects
 * apart keeps their cost per event constant. An eighth, because replaying an event past a
 * snapshot costs about eight times what loading one object of it does: time travel then stays
 * within about twice a snapshot's load (README, "Snapshot spacing", has the measurements).
 */
const LIVE_OBJECTS_PER_SNAPSHOT_EVENT = 8;

/**
 * Events a writer lets pass between two snapshots of `state`: `snapshotEvery`, or an eighth of the
 * live objects if that is more. Every writer of snapshots (in process or in a worker) spaces them
 * by this one rule, so a log gets its snapshots at the same seqs whoever folds it.
 */
export function snapshotSpacing(state: ProjectionState, snapshotEvery: number): number {
  const { serviceEntries, workloadEntries } = sizeOf(state);
  return Math.max(snapshotEvery, Math.ceil((serviceEntries + workloadEntries) / LIVE_OBJECTS_PER_SNAPSHOT_EVENT));
}
