import { isMeshfoldError, MeshfoldError, Projector, PROJECTOR_VERSION } from '@meshfold/core';
import { isChecksummed, type EventLog, type StoreReport } from '@meshfold/store';
import { openExistingLog, withLog } from '../../io/openLog.js';
import type { Io } from '../../io/Io.js';
import { progress } from '../../io/progress.js';

/**
 * Replays the whole log: seq continuity, every value's checksum and decoding (the store checks
 * them while reading; the log's length against the acknowledged last seq at open), every event
 * valid for the fold, every snapshot's digest equal to that of the objects
 * replay holds at its seq (the state is a pure function of them).
 * The first problem is thrown as a coded error.
 */
export async function verify(dir: string | undefined, io: Io): Promise<number> {
  // Verify opens the log itself: what queries may skip with a warning (a snapshot that does not
  // decode) is a failure here.
  const reports: StoreReport[] = [];
  const log = await openExistingLog(dir, (r) => reports.push(r));
  return withLog(log, () => verifyOpen(log, io, reports));
}

async function verifyOpen(log: EventLog, io: Io, reports: StoreReport[]): Promise<number> {
  const all = await log.listSnapshots();
  const broken = reports.find((r) => r.code !== 'STORE_SNAPSHOT_REJECTED');
  if (broken) throw new MeshfoldError(broken.code, broken.message, { seq: broken.seq });
  const snapshots = all.filter((s) => s.projectorVersion === PROJECTOR_VERSION);
  const foreign = all.length - snapshots.length;
  const bySeq = new Map(snapshots.map((s) => [s.seq, s.hash]));
  const projector = new Projector();
  const last = log.lastSeq;
  const bar = progress('verify', io.interactive ? process.stderr : ({ isTTY: false } as NodeJS.WriteStream));
  let count = 0;
  let unchecked = 0;
  for await (const { events: batch, values } of log.readEncodedBatches({ from: 1, to: last })) {
    for (const value of values) if (!isChecksummed(value)) unchecked++;
    for (const event of batch) {
      count++;
      try {
        projector.replay(event, event.seq);
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        throw new MeshfoldError('VERIFY_INVALID_EVENT', `seq ${event.seq}: the event does not apply: ${err.message}`, { seq: event.seq });
      }
      const expected = bySeq.get(event.seq);
      const actual = expected === undefined ? undefined : Projector.digest(projector.toSnapshot());
      if (actual !== expected) {
        throw new MeshfoldError('VERIFY_SNAPSHOT_MISMATCH',
          `snapshot at seq ${event.seq} has digest ${expected}, replay gives ${actual}`, { seq: event.seq });
      }
    }
    bar.update(count, last);
  }
  bar.done();
  if (count !== last) throw new MeshfoldError('STORE_CORRUPT_MISSING', `the log says its last seq is ${last} but ${count} events were read: the log is damaged`, { seq: count + 1, to: last });
  io.out(`ok: ${count} events (seq 1..${last}), ${snapshots.length} snapshots verified${foreign ? `, ${foreign} of another projector version skipped` : ''}\n`);
  const uncheckedSnapshots = snapshots.filter((s) => !s.checksummed).length;
  if (unchecked + uncheckedSnapshots > 0) {
    // Written before values carried checksums: they decode, but a changed byte would go unseen.
    io.out(`unchecked: ${unchecked} events and ${uncheckedSnapshots} snapshots are of value format 1, without a checksum\n`);
  }
  io.out(`state hash ${projector.hash()}\n`);
  return 0;
}
