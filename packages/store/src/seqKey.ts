/** Width of a seq key: 8 bytes, so every safe integer seq fits. */
export const SEQ_KEY_BYTES = 8;

/** The largest seq a key can name (JavaScript numbers stay exact up to here). */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

const HIGH = 2 ** 32;

/**
 * A seq as a fixed-width big-endian key: LevelDB compares keys byte by byte,
 * so only fixed width and big-endian order make byte order equal to seq order.
 */
export function seqKey(seq: number): Uint8Array {
  const key = new Uint8Array(SEQ_KEY_BYTES);
  writeUint64(key, 0, seq);
  return key;
}

export function seqOfKey(key: Uint8Array): number {
  return readUint64(key, 0);
}

/** Writes a non-negative safe integer as 8 big-endian bytes (no BigInt on the hot path). */
export function writeUint64(target: Uint8Array, offset: number, value: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(offset, Math.floor(value / HIGH));
  view.setUint32(offset + 4, value % HIGH);
}

export function readUint64(source: Uint8Array, offset: number): number {
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  return view.getUint32(offset) * HIGH + view.getUint32(offset + 4);
}
