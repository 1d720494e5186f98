import type { LoggedEvent } from '@meshfold/core';
import { MeshfoldError } from '@meshfold/core';
import { decodeEvent } from './eventCodec.js';
import type { BinaryKeyspace } from './keyspaces.js';
import { seqKey, seqOfKey } from './seqKey.js';
import { withStoreErrors } from './storeError.js';

/**
 * Events `from..to` in seq order, in arrays of up to `batchSize` (one `nextv` each, which is
 * what makes replay fast). The caller guarantees that every seq up to `to` was committed, so
 * a missing seq is a gap error and never skipped.
 */
export async function* readEventBatches(
  events: BinaryKeyspace,
  range: { from: number; to: number; batchSize: number; where: string },
): AsyncGenerator<LoggedEvent[]> {
  const { from, to, batchSize, where } = range;
  if (from > to) return;
  const iterator = await withStoreErrors(where, () => events.iterator({ gte: seqKey(from), lte: seqKey(to) }));
  try {
    let expected = from;
    while (expected <= to) {
      const entries = await withStoreErrors(where, () => iterator.nextv(Math.min(batchSize, to - expected + 1)));
      if (entries.length === 0) throw seqGap(expected, where);
      const batch = entries.map(([key, value]) => {
        const seq = seqOfKey(key);
        if (seq !== expected) throw seqGap(expected, where);
        expected += 1;
        return decodeEvent(value, seq);
      });
      yield batch;
    }
  } finally {
    await iterator.close();
  }
}

export function seqGap(seq: number, where: string): MeshfoldError {
  return new MeshfoldError('STORE_SEQ_GAP', `${where}: event seq ${seq} is missing`, { seq });
}
