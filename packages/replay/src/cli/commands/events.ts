import type { LoggedEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { eventRange } from '../../queries/eventRange.js';
import { safeIdentity } from '../../queries/safeIdentity.js';
import { writeEventsJson } from '../../queries/writeEventsJson.js';
import { formatTable } from '../formatTable.js';
import { outputFormat } from '../outputFormat.js';

/** The events of a seq range, streamed: `-o json` writes one JSON document with an `events` array. */
export async function events(log: EventLog, options: { from?: unknown; to?: unknown; o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const range = await eventRange(log, options.from, options.to);
  if (format === 'json') {
    await writeEventsJson(log, range, (text) => io.out(text));
    return 0;
  }
  const rows: string[][] = [];
  for await (const batch of log.readBatches(range)) rows.push(...batch.map(eventRow));
  io.out(formatTable(['SEQ', 'TIME', 'TYPE', 'OBJECT'], rows));
  return 0;
}

function eventRow(e: LoggedEvent): string[] {
  return [String(e.seq), e.time, e.origin ? `${e.type} (relist at seq ${e.origin.sync})` : e.type, safeIdentity(e)];
}
