import type { Keyspaces, BatchOperation } from './keyspaces.js';
import type { AppendPlan } from './planAppend.js';
import { identityOfObject, OBJECT_KEY_SUFFIX_BYTES, writeObjectKeySuffix } from './objectKey.js';
import { LAST_SEQ_KEY } from './recoverMeta.js';
import { SEQ_KEY_BYTES, seqKey, writeUint64 } from './seqKey.js';
import { SliceBuilder } from './SliceBuilder.js';
import { TIME_KEY_BYTES, writeTimeKey } from './timeKey.js';

const EMPTY_VALUE = new Uint8Array(0);
const encoder = new TextEncoder();
/** Shared: filled and emptied within one synchronous call. */
const keys = new SliceBuilder();
const seqBytes = new Uint8Array(SEQ_KEY_BYTES);
const timeBytes = new Uint8Array(TIME_KEY_BYTES);
const objectKeySuffix = new Uint8Array(OBJECT_KEY_SUFFIX_BYTES);
/** Valid Kubernetes names are short; 4 KiB holds any valid `Kind/ns/name` in UTF-8. */
const identityBytes = new Uint8Array(4096);

/**
 * The batch of one append, as operations on the root database with each keyspace's prefix
 * written into the key: the same keys the sublevels would produce, without abstract-level
 * prefixing (and allocating) every key again. Per event: its value, its objects-index entry,
 * and a time-index entry for the last seq of each run of equal times (`seqAt` asks for the last
 * seq at or before a time, which is always a run's last; a batch mostly shares one clock reading).
 */
export function appendOperations(keyspaces: Keyspaces, plan: AppendPlan, lastSeq: number): BatchOperation[] {
  const prefix = {
    events: encoder.encode(keyspaces.events.prefix),
    time: encoder.encode(keyspaces.time.prefix),
    objects: encoder.encode(keyspaces.objects.prefix),
  };
  const values: Uint8Array[] = [];
  plan.events.forEach(({ seq, object }, i) => {
    writeUint64(seqBytes, 0, seq);
    keys.add(prefix.events, seqBytes);
    values.push(plan.values[i]!);
    const epochMs = plan.epochMs[i]!;
    if (plan.epochMs[i + 1] !== epochMs) {
      writeTimeKey(timeBytes, epochMs, seq);
      keys.add(prefix.time, timeBytes);
      values.push(seqKey(seq));
    }
    const identity = identityOfObject(object);
    if (identity !== undefined) {
      const { read, written } = encoder.encodeInto(identity, identityBytes);
      writeObjectKeySuffix(objectKeySuffix, seq);
      // A name too long for the scratch (only an invalid object has one) is encoded on its own.
      keys.add(prefix.objects, read === identity.length ? identityBytes.subarray(0, written) : encoder.encode(identity), objectKeySuffix);
      values.push(EMPTY_VALUE);
    }
  });
  const operations: BatchOperation[] = keys.finish().map((key, i) => ({ type: 'put', key, value: values[i]! }));
  operations.push({ type: 'put', sublevel: keyspaces.meta, key: LAST_SEQ_KEY, value: seqKey(lastSeq) });
  return operations;
}
