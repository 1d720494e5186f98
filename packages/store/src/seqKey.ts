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

/**
 * Writes a non-negative safe integer as 8 big-endian bytes (no BigInt, no DataView: this runs
 * for every key of every append and read).
 */
export function writeUint64(target: Uint8Array, offset: number, value: number): void {
  writeUint32(target, offset, Math.floor(value / HIGH));
  writeUint32(target, offset + 4, value % HIGH);
}

export function readUint64(source: Uint8Array, offset: number): number {
  return readUint32(source, offset) * HIGH + readUint32(source, offset + 4);
}

function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

function readUint32(source: Uint8Array, offset: number): number {
  return ((source[offset]! << 24) >>> 0) + (source[offset + 1]! << 16) + (source[offset + 2]! << 8) + source[offset + 3]!;
}
