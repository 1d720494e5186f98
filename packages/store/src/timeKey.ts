import { SEQ_KEY_BYTES, writeUint64 } from './seqKey.js';

/** Byte offset of the seq inside a time key. */
export const TIME_KEY_SEQ_OFFSET = 8;

/**
 * Time index key: epoch milliseconds then seq, both 8-byte big-endian, so entries sort
 * by time and, within one millisecond, by seq; the seq suffix also keeps keys unique.
 */
export function timeKey(epochMs: number, seq: number): Uint8Array {
  const key = new Uint8Array(TIME_KEY_BYTES);
  writeTimeKey(key, epochMs, seq);
  return key;
}

export const TIME_KEY_BYTES = TIME_KEY_SEQ_OFFSET + SEQ_KEY_BYTES;

/** {@link timeKey} written into the first {@link TIME_KEY_BYTES} bytes of `target`. */
export function writeTimeKey(target: Uint8Array, epochMs: number, seq: number): void {
  writeUint64(target, 0, epochMs);
  writeUint64(target, TIME_KEY_SEQ_OFFSET, seq);
}
