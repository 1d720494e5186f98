import { MeshfoldError, type LoggedEvent } from '@meshfold/core';
import { decodeEvent } from './eventCodec.js';
import type { BinaryKeyspace } from './keyspaces.js';
import { missingEvents } from './missingEvents.js';
import { seqKey, seqOfKey } from './seqKey.js';
import { withStoreErrors } from './storeError.js';

/** Decoded events with the bytes each was stored as (`values[i]` is `events[i]`'s). */
export interface EncodedBatch {
  readonly events: LoggedEvent[];
  readonly values: Uint8Array[];
}

/** Bytes one `nextv` may read ahead: a batch of 1000 events of a few hundred bytes each. */
export const READ_AHEAD_BYTES = 1 << 20;

/**
 * Events `from..to` in seq order, in arrays of up to `batchSize` (one `nextv` each, which is
 * what makes replay fast). The caller guarantees that every seq up to `to` was committed, so
 * a missing seq is STORE_CORRUPT_MISSING and never skipped.
 */
export async function* readEventBatches(
  events: BinaryKeyspace,
  range: { from: number; to: number; batchSize: number; where: string },
): AsyncGenerator<EncodedBatch> {
  const { from, to, batchSize, where } = range;
  if (from > to) return;
  // classic-level stops a `nextv` at 16 KiB by default (~60 events); every call is a trip to
  // LevelDB's thread, so let one call carry a whole batch. Other backends ignore the option.
  const options = { gte: seqKey(from), lte: seqKey(to), highWaterMarkBytes: READ_AHEAD_BYTES };
  const iterator = await withStoreErrors(where, () => events.iterator(options));
  const read = (first: number) => {
    const next = withStoreErrors(where, () => iterator.nextv(Math.min(batchSize, to - first + 1))).catch((err: unknown) => {
      throw unreadableFrom(err, first, to);
    });
    // It may be left unawaited when decoding fails first; its own failure then matters no more.
    next.catch(() => {});
    return next;
  };
  try {
    let expected = from;
    let reading = read(expected);
    while (expected <= to) {
      const entries = await reading;
      if (entries.length === 0) throw missingEvents(expected, to, where);
      // Ask LevelDB's thread for the next batch now, so it reads while this one is decoded and used.
      if (expected + entries.length <= to) reading = read(expected + entries.length);
      const { events: batch, failure } = decodeEntries(entries, expected, where);
      expected += batch.length;
      // The events before a bad one are sound: hand them over, then fail at the bad one.
      if (batch.length > 0) yield { events: batch, values: entries.slice(0, batch.length).map(([, value]) => value) };
      if (failure !== undefined) throw failure;
    }
  } finally {
    await iterator.close();
  }
}

/** Decodes entries expected to hold seqs `first`, `first + 1`, … up to the first that does not. */
function decodeEntries(
  entries: [Uint8Array, Uint8Array][],
  first: number,
  where: string,
): { events: LoggedEvent[]; failure?: unknown } {
  const events: LoggedEvent[] = [];
  try {
    for (const [key, value] of entries) {
      const seq = first + events.length;
      const found = seqOfKey(key);
      if (found !== seq) throw missingEvents(seq, found - 1, where);
      events.push(decodeEvent(value, seq));
    }
    return { events };
  } catch (failure) {
    return { events, failure };
  }
}

/** LevelDB damage met while reading names the seqs that could not be read. */
function unreadableFrom(err: unknown, first: number, to: number): unknown {
  if (!(err instanceof MeshfoldError) || err.code !== 'STORE_CORRUPT_DATABASE') return err;
  const seqs = first === to ? `event seq ${first}` : `events seq ${first}..${to}`;
  return new MeshfoldError(err.code, `${err.message}; ${seqs} cannot be read`, { ...err.details, seq: first, to });
}
