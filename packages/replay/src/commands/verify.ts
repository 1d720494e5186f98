import { isMeshfoldError, MeshfoldError, Projector, PROJECTOR_VERSION } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import type { Io } from '../Io.js';
import { progress } from '../progress.js';

/**
 * Replays the whole log: seq continuity and every value's decoding (the store checks both while
 * reading), every event valid for the fold, every snapshot's hash equal to the recomputed one.
 * The first problem is thrown as a coded error.
 */
export async function verify(log: EventLog, io: Io): Promise<number> {
  const snapshots = (await log.listSnapshots()).filter((s) => s.projectorVersion === PROJECTOR_VERSION);
  const foreign = (await log.listSnapshots()).length - snapshots.length;
  const bySeq = new Map(snapshots.map((s) => [s.seq, s.hash]));
  const projector = new Projector();
  const last = log.lastSeq;
  const bar = progress('verify', io.interactive ? process.stderr : ({ isTTY: false } as NodeJS.WriteStream));
  let count = 0;
  for await (const batch of log.readBatches({ from: 1, to: last })) {
    for (const event of batch) {
      count++;
      try {
        projector.replay(event, event.seq);
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        throw new MeshfoldError('VERIFY_INVALID_EVENT', `seq ${event.seq}: the event does not apply: ${err.message}`, { seq: event.seq });
      }
      const expected = bySeq.get(event.seq);
      if (expected !== undefined && projector.hash() !== expected) {
        throw new MeshfoldError('VERIFY_SNAPSHOT_MISMATCH',
          `snapshot at seq ${event.seq} has hash ${expected}, replay gives ${projector.hash()}`, { seq: event.seq });
      }
    }
    bar.update(count, last);
  }
  bar.done();
  if (count !== last) throw new MeshfoldError('STORE_SEQ_GAP', `the log says its last seq is ${last} but ${count} events were read`);
  io.out(`ok: ${count} events (seq 1..${last}), ${snapshots.length} snapshots verified${foreign ? `, ${foreign} of another projector version skipped` : ''}\n`);
  io.out(`state hash ${projector.hash()}\n`);
  return 0;
}
