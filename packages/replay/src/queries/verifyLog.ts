import { isMeshfoldError, MeshfoldError, Projector, PROJECTOR_VERSION } from '@meshfold/core';
import { isChecksummed, type EventLog, type StoreReport } from '@meshfold/store';
import { LinkIndexCheck } from '../linkIndex/LinkIndexCheck.js';
import { LINK_INDEX } from '../linkIndex/linkIndexName.js';

/** What `meshfold verify` found in a sound log. */
export interface VerifyReport {
  /** Events read and replayed: seq 1 to `lastSeq`, all of them. */
  readonly events: number;
  readonly lastSeq: number;
  /** Snapshots of this projector version, each equal to the replayed state at its seq. */
  readonly snapshots: number;
  /** Snapshots of another projector version: not comparable, skipped. */
  readonly foreignSnapshots: number;
  /** Events and snapshots of value format 1, written before values carried a checksum. */
  readonly uncheckedEvents: number;
  readonly uncheckedSnapshots: number;
  /** The link index (history's) holds what a replay gives for seqs 1..this; 0 when the log keeps none. */
  readonly linkIndexThrough: number;
  /** The final state's hash. */
  readonly hash: string;
}

/**
 * Replays the whole log: seq continuity, every value's checksum and decoding (the store checks
 * them while reading; the log's length against the acknowledged last seq at open), every event
 * valid for the fold, every snapshot's digest equal to that of the objects
 * replay holds at its seq (the state is a pure function of them), and the link index, as far as
 * it goes, holding what the replay gives (see LinkIndexCheck).
 * The first problem is thrown as a coded error. `reports` are the store's warnings from opening
 * the log: what queries may skip with a warning (a snapshot that does not decode) is a failure here.
 */
export async function verifyLog(
  log: EventLog, reports: readonly StoreReport[], onProgress: (done: number, total: number) => void = () => {},
): Promise<VerifyReport> {
  const all = await log.listSnapshots();
  const broken = reports.find((r) => r.code !== 'STORE_SNAPSHOT_REJECTED');
  if (broken) throw new MeshfoldError(broken.code, broken.message, { seq: broken.seq });
  const snapshots = all.filter((s) => s.projectorVersion === PROJECTOR_VERSION);
  const bySeq = new Map(snapshots.map((s) => [s.seq, s.hash]));
  const projector = new Projector();
  const last = log.lastSeq;
  const linkThrough = log.capabilities.derivedIndexes ? Math.min(await log.indexedThrough(LINK_INDEX), log.lastSeq) : 0;
  const links = linkThrough > 0 ? new LinkIndexCheck(log, linkThrough) : undefined;
  let count = 0;
  let unchecked = 0;
  // What a delta snapshot would hold: the objects changed since the snapshot before it.
  let lastSnapshot: number | undefined;
  let touched = new Set<string>();
  for await (const { events: batch, values } of log.readEncodedBatches({ from: 1, to: last })) {
    for (const value of values) if (!isChecksummed(value)) unchecked++;
    for (const event of batch) {
      count++;
      try {
        const applied = projector.replay(event, event.seq);
        if (applied.change) touched.add(applied.change.key);
        links?.add(event.seq, event, applied);
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        throw new MeshfoldError('VERIFY_INVALID_EVENT', `seq ${event.seq}: the event does not apply: ${err.message}`, { seq: event.seq });
      }
      const expected = bySeq.get(event.seq);
      if (expected === undefined) continue;
      const full = projector.toSnapshot();
      const actual = Projector.digest(full);
      // A snapshot is either the whole state or a delta of the one before it (see SnapshotChain),
      // and its objects msgpack or, written by an earlier meshfold, JSON text.
      const deltaState = actual !== expected && lastSnapshot !== undefined ? projector.toDelta(lastSnapshot, touched) : undefined;
      const delta = deltaState && Projector.digest(deltaState);
      const asText = actual !== expected && delta !== expected
        && [full, deltaState].some((state) => state && Projector.digest(Projector.asText(state)) === expected);
      if (actual !== expected && delta !== expected && !asText) {
        throw new MeshfoldError('VERIFY_SNAPSHOT_MISMATCH',
          `snapshot at seq ${event.seq} has digest ${expected}, replay gives ${actual}${delta === undefined ? '' : ` (as a delta of seq ${lastSnapshot}: ${delta})`}`, { seq: event.seq });
      }
      lastSnapshot = event.seq;
      touched = new Set();
    }
    if (links && batch.length > 0 && batch[0]!.seq <= linkThrough) await links.check(batch.at(-1)!.seq);
    onProgress(count, last);
  }
  if (count !== last) throw new MeshfoldError('STORE_CORRUPT_MISSING', `the log says its last seq is ${last} but ${count} events were read: the log is damaged`, { seq: count + 1, to: last });
  await links?.finish();
  return {
    events: count, lastSeq: last, snapshots: snapshots.length, foreignSnapshots: all.length - snapshots.length,
    uncheckedEvents: unchecked, uncheckedSnapshots: snapshots.filter((s) => !s.checksummed).length, linkIndexThrough: linkThrough, hash: projector.hash(),
  };
}
