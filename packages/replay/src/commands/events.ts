import { identityOf, type LoggedEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { formatTable } from '../formatTable.js';
import type { Io } from '../Io.js';
import { outputFormat, resolvePoint } from '../resolvePoint.js';

/** The events of a seq range, streamed: `-o json` writes one JSON document with an `events` array. */
export async function events(log: EventLog, options: { from?: unknown; to?: unknown; o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const from = Math.max(1, await resolvePoint(log, options.from ?? 1, '--from'));
  const to = await resolvePoint(log, options.to, '--to');
  if (format === 'json') {
    io.out(`{"from":${from},"to":${to},"events":[`);
    let first = true;
    for await (const batch of log.readBatches({ from, to })) {
      io.out(batch.map((e) => (first ? '' : ',') + ((first = false), `\n${JSON.stringify(e)}`)).join(''));
    }
    io.out('\n]}\n');
    return 0;
  }
  const rows: string[][] = [];
  for await (const batch of log.readBatches({ from, to })) rows.push(...batch.map(eventRow));
  io.out(formatTable(['SEQ', 'TIME', 'TYPE', 'OBJECT'], rows));
  return 0;
}

export function eventRow(e: LoggedEvent): string[] {
  return [String(e.seq), e.time, e.type, safeIdentity(e)];
}

export function safeIdentity(e: LoggedEvent): string {
  try {
    return identityOf(e.object, e.seq);
  } catch {
    return `${String(e.object?.kind)}/?`;
  }
}
