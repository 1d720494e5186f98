import { namespaceOf, objectKey as coreObjectKey, type KubeObject } from '@meshfold/core';
import { seqKey, SEQ_KEY_BYTES, readUint64 } from './seqKey.js';

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
  const key = new Uint8Array(prefix.length + 1 + SEQ_KEY_BYTES);
  key.set(prefix, 0);
  key[prefix.length] = 0;
  key.set(seqKey(seq), prefix.length + 1);
  return key;
}

export function seqOfObjectIndexKey(key: Uint8Array): number {
  return readUint64(key, key.length - SEQ_KEY_BYTES);
}
