import {
  isMeshfoldError, MeshfoldError, Projector, PROJECTOR_VERSION, type BulkReplay, type KubeObject, type LoggedEvent, type ProjectorSnapshot,
} from '@meshfold/core';
import { checkedCursor } from './CheckedRanges.js';
import type { EventLog } from './EventLog.js';
import type { Snapshot } from './Snapshot.js';
import type { StoreReport } from './StoreReport.js';

/** Options of `loadState` and `replayOnto`. */
export interface LoadStateOptions {
  /** Receives snapshots ignored and events the projector refused while replaying. */
  onReport?: (report: StoreReport) => void;
  /** Check each snapshot's content against the digest it was written with; refuse it on mismatch. Default: true. */
  verifySnapshots?: boolean;
  /** Start from this projector instead of a snapshot when it is at or before `seq` (a warm cache). */
  from?: Projector;
  /** Called with the number of events replayed so far, for progress bars. */
  onProgress?: (replayed: number, total: number) => void;
}

/**
 * The projection state after `seq` (0 = empty): the nearest usable snapshot at or before it,
 * plus the events after that snapshot. Never a replay from seq 1 unless no snapshot is usable.
 */
export async function loadState(log: EventLog, seq: number, options: LoadStateOptions = {}): Promise<Projector> {
  const target = Math.min(seq, log.lastSeq);
  const projector = await startingPoint(log, target, options);
  return replayOnto(log, projector, target, options);
}

/** Objects a replay holds before it applies their net changes, so memory stays bounded. */
const MAX_PENDING = 65_536;
/** Beyond this many events, a replay of a log with `localReads` keeps each object's last seq rather than its object. */
const KEEP_SEQS_BEYOND = 20_000;

/**
 * Applies events `projector.seq + 1 .. to` onto `projector` by their net effect (one change per
 * object, see BulkReplay); events the fold refuses are reported, in order.
 * What is held for each object until then: its last event's object, as read — except on a long
 * replay of a log whose reads are local, which holds its last seq and reads the few thousand
 * objects again in one `getMany`: through a million events, that cost LevelDB less time than
 * holding the objects (more garbage collection). Holding the bytes instead meant decoding each
 * object a second time. On JetStream, where `getMany` is a request per seq, holding the objects
 * is the faster of the two.
 */
export async function replayOnto(log: EventLog, projector: Projector, to: number, options: LoadStateOptions = {}): Promise<Projector> {
  const start = projector.seq;
  const bulk = projector.bulkReplay();
  const keepSeqs = log.capabilities.localReads && to - start > KEEP_SEQS_BEYOND;
  const checked = checkedCursor(log.checkedRanges, PROJECTOR_VERSION);
  for await (const events of log.readBatches({ from: start + 1, to })) {
    for (const event of events) addOrReport(bulk, event, checked(event.seq), keepSeqs ? event.seq : event.object, options);
    if (bulk.pending >= MAX_PENDING) await commit(log, bulk, keepSeqs);
    options.onProgress?.(bulk.seq - start, to - start);
  }
  await commit(log, bulk, keepSeqs);
  return projector;
}

async function commit(log: EventLog, bulk: BulkReplay, keepSeqs: boolean): Promise<void> {
  // Held as seqs, the objects are read again; held as objects, BulkReplay takes them as they are.
  let restore: ((kept: unknown) => KubeObject) | undefined;
  if (keepSeqs) {
    const events = await log.getMany(bulk.kept() as number[]);
    const bySeq = new Map(events.map((event) => [event.seq, event.object]));
    restore = (kept) => bySeq.get(kept as number)!;
  }
  try {
    bulk.commit(restore);
  } catch (err) {
    if (!isMeshfoldError(err, 'INPUT_INVALID_OBJECT')) throw err;
    // Only an object logged as checked by this version reaches commit unvalidated.
    throw new MeshfoldError('STORE_CORRUPT_VALUE', `replay: an event logged as checked by ${PROJECTOR_VERSION} is invalid: ${err.message}`);
  }
}

function addOrReport(bulk: BulkReplay, event: LoggedEvent, checked: boolean, kept: unknown, options: LoadStateOptions): void {
  try {
    const notice = bulk.add(event, event.seq, checked, kept);
    if (notice) options.onReport?.({ code: notice.code, message: `seq ${event.seq}: ${notice.message}`, seq: event.seq });
  } catch (err) {
    if (!isMeshfoldError(err)) throw err;
    bulk.skip(event.seq);
    options.onReport?.({ code: err.code, message: `seq ${event.seq}: ${err.message}`, seq: event.seq });
  }
}

async function startingPoint(log: EventLog, target: number, options: LoadStateOptions): Promise<Projector> {
  const warm = options.from && options.from.seq <= target ? options.from : undefined;
  const after = warm?.seq ?? 0;
  let at = target;
  while (at > after) {
    const restored = await restoreNewest(log, at, after, options);
    if (restored === undefined) break;
    if (restored instanceof Projector) return restored;
    options.onReport?.({ code: 'STORE_SNAPSHOT_REJECTED', seq: restored.seq, message: `snapshot at seq ${restored.seq} ${restored.why}; ignored` });
    at = restored.seq - 1;
  }
  return warm ? Projector.fromSnapshot(warm.toSnapshot()) : new Projector();
}

/**
 * Snapshots read for one state, a delta chain and any other snapshots between its links, beyond
 * which a chain is not followed: a writer's chain is far shorter (see SnapshotChain), and a
 * damaged or foreign log must not make a time travel read its snapshots one by one.
 */
const MAX_CHAIN = 64;

/**
 * The projector of the newest snapshot at or before `at` (and after `after`) — a delta's with the
 * snapshots it follows on from, read in the same pass, down to a full one — or why that snapshot
 * cannot be used: content that is not what was written, or a base that is missing.
 */
async function restoreNewest(
  log: EventLog, at: number, after: number, options: LoadStateOptions,
): Promise<Projector | { seq: number; why: string } | undefined> {
  const chain: ProjectorSnapshot[] = [];
  let head: number | undefined;
  let read = 0;
  for await (const snapshot of log.snapshotsAtOrBefore(at, PROJECTOR_VERSION)) {
    const base = chain[0]?.base;
    if (head === undefined) {
      if (snapshot.seq <= after) return undefined;
      head = snapshot.seq;
    } else if (snapshot.seq < base!) {
      break;
    }
    if (++read > MAX_CHAIN + 1) return { seq: head, why: `is a delta of more than ${MAX_CHAIN} snapshots` };
    if (base !== undefined && snapshot.seq > base) continue;
    const state = usable(snapshot, options);
    if (!state) {
      return {
        seq: head,
        why: base === undefined
          ? 'does not match the digest it was written with'
          : `is a delta of the snapshot at seq ${base}, which does not match the digest it was written with`,
      };
    }
    chain.unshift(state);
    if (state.base === undefined) {
      try {
        return Projector.fromSnapshot(state, chain.slice(1));
      } catch {
        return { seq: head, why: 'does not match the digest it was written with' };
      }
    }
  }
  return head === undefined ? undefined : { seq: head, why: `is a delta of the snapshot at seq ${chain[0]!.base}, which the log does not hold` };
}

/** The snapshot's state when it is well formed and (unless told not to check) matches its digest. */
function usable(snapshot: Snapshot, options: LoadStateOptions): ProjectorSnapshot | undefined {
  const state = snapshot.state as ProjectorSnapshot;
  const base = state?.base;
  const wellFormed = (typeof state?.objects === 'string' || state?.objects instanceof Uint8Array) && state.seq === snapshot.seq
    && (base === undefined || (Number.isSafeInteger(base) && base >= 0 && base < state.seq));
  if (!wellFormed) return undefined;
  if (options.verifySnapshots !== false && Projector.digest(state) !== snapshot.hash) return undefined;
  return state;
}
