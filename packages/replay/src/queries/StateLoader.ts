import type { Projector } from '@meshfold/core';
import { loadState, type EventLog, type StoreReport } from '@meshfold/store';

/** The projection after a seq: the CLI loads it from snapshots, the inspector from its warm cache (StateCache). */
export type StateLoader = (seq: number) => Promise<Projector>;

/**
 * The state at a point, from the nearest snapshot plus its tail. Store warnings (a snapshot that
 * does not decode and is skipped) go to `onReport`: the CLI prints them on stderr.
 */
export function snapshotLoader(log: EventLog, onReport: (report: StoreReport) => void = () => {}): StateLoader {
  return (seq) => loadState(log, seq, { onReport });
}
