import { MeshfoldError } from '@meshfold/core';
import { SEQ_KEY_BYTES, readUint64, writeUint64 } from './seqKey.js';

/**
 * Keys of the `indexes` keyspace: the index's name, a NUL, the group, a NUL, then the 8-byte
 * seq — so one group's blocks of one index are one contiguous, seq-ordered range. Names and
 * groups are UTF-8 without NUL (namespaces and projector versions have none).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function indexBlockKey(name: string, group: string, seq: number): Uint8Array {
  const prefix = encoder.encode(`${name}\0${group}\0`);
  const key = new Uint8Array(prefix.length + SEQ_KEY_BYTES);
  key.set(prefix);
  writeUint64(key, prefix.length, seq);
  return key;
}

/** The key range every block of the index `name` lies in, whatever its group and seq. */
export function indexKeyRange(name: string): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: encoder.encode(`${name}\0`), lt: encoder.encode(`${name}\u0001`) };
}

/**
 * The groups of the block keys of the index `name` (as a scan of {@link indexKeyRange} gives
 * them, in key order), each once: a group's blocks are one run of keys.
 */
export function groupsOfIndexBlockKeys(name: string, keys: readonly Uint8Array[]): string[] {
  const start = encoder.encode(name).length + 1;
  const groups: string[] = [];
  for (const key of keys) {
    const group = decoder.decode(key.subarray(start, key.length - SEQ_KEY_BYTES - 1));
    if (group !== groups.at(-1)) groups.push(group);
  }
  return groups;
}

export function seqOfIndexBlockKey(key: Uint8Array): number {
  return readUint64(key, key.length - SEQ_KEY_BYTES);
}

/** The meta key holding how far the index `name` is complete. */
export function indexThroughKey(name: string): string {
  return `index\0${name}`;
}

/** A name or group the keys cannot hold is the caller's mistake, said as such. */
export function checkIndexPart(what: string, value: unknown, where: string): void {
  if (typeof value !== 'string' || value === '' || value.includes('\0')) {
    throw new MeshfoldError('STORE_INDEX_REJECTED', `${where}: the index ${what} must be a non-empty string without NUL, not ${JSON.stringify(value)}`);
  }
}
