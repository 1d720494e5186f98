import { namespaceOf, objectKey as coreObjectKey, type KubeObject } from '@meshfold/core';
import { SEQ_KEY_BYTES, readUint64, writeUint64 } from './seqKey.js';

/**
 * Keys of the `objects` index: the object's `Kind/ns/name` in UTF-8, a NUL (which no Kubernetes
 * name contains), then the 8-byte seq — so one object's events are one contiguous, seq-ordered
 * range, and `why` can read the two objects it is about instead of the whole log.
 */
const encoder = new TextEncoder();

/** The `Kind/ns/name` of an event's object, or undefined when it has no kind or name. */
export function identityOfObject(obj: KubeObject): string | undefined {
  const kind = obj?.kind;
  const name = obj?.metadata?.name;
  if (typeof kind !== 'string' || kind === '' || typeof name !== 'string' || name === '') return undefined;
  return coreObjectKey(kind, namespaceOf(obj), name);
}

export function objectIndexKey(identity: string, seq: number): Uint8Array {
  const prefix = encoder.encode(identity);
  const key = new Uint8Array(prefix.length + OBJECT_KEY_SUFFIX_BYTES);
  key.set(prefix, 0);
  writeObjectKeySuffix(key.subarray(prefix.length), seq);
  return key;
}

export const OBJECT_KEY_SUFFIX_BYTES = 1 + SEQ_KEY_BYTES;

/** What follows the identity in an objects-index key (NUL, then the seq), into `target`. */
export function writeObjectKeySuffix(target: Uint8Array, seq: number): void {
  target[0] = 0;
  writeUint64(target, 1, seq);
}

export function seqOfObjectIndexKey(key: Uint8Array): number {
  return readUint64(key, key.length - SEQ_KEY_BYTES);
}
