import type { LoggedEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';

/** Events per `getMany`: large enough that LevelDB's round trips are few, small enough to keep memory flat. */
const READ_BATCH = 1000;

/** The events at `seqs` in order, in batches, the next one read while the caller uses the last. */
export async function* readInBatches(log: EventLog, seqs: ArrayLike<number>): AsyncGenerator<LoggedEvent[]> {
  const read = (from: number) => {
    const events = log.getMany(Array.from({ length: Math.min(READ_BATCH, seqs.length - from) }, (_, i) => seqs[from + i]!));
    // Left unawaited when the caller stops early (a failure of its own): its failure then matters no more.
    events.catch(() => {});
    return events;
  };
  let next = read(0);
  for (let from = 0; from < seqs.length; from += READ_BATCH) {
    const batch = await next;
    if (from + READ_BATCH < seqs.length) next = read(from + READ_BATCH);
    yield batch;
  }
}
