import { identityOf, type LoggedEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { formatTable } from '../formatTable.js';
import type { Io } from '../../io/Io.js';
import { outputFormat, resolvePoint } from '../../queries/resolvePoint.js';

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

/**
 * FROM and TO as seqs (or RFC 3339 times); FROM defaults to the first event, TO to the last, so
 * an empty log is an empty range, not an error (the inspector reads logs still being recorded).
 */
export async function eventRange(log: EventLog, from: unknown, to: unknown, names = { from: '--from', to: '--to' }): Promise<{ from: number; to: number }> {
  return {
    from: from === undefined ? 1 : Math.max(1, await resolvePoint(log, from, names.from)),
    to: await resolvePoint(log, to, names.to),
  };
}

/**
 * `{"from","to","events":[…]}` written batch by batch, so a long range never sits in memory whole;
 * the CLI writes it to stdout, the inspector to an HTTP response.
 */
export async function writeEventsJson(log: EventLog, range: { from: number; to: number }, write: (text: string) => void): Promise<void> {
  write(`{"from":${range.from},"to":${range.to},"events":[`);
  let first = true;
  for await (const batch of log.readBatches(range)) {
    write(batch.map((e) => (first ? '' : ',') + ((first = false), `\n${JSON.stringify(e)}`)).join(''));
  }
  write('\n]}\n');
}

export function eventRow(e: LoggedEvent): string[] {
  return [String(e.seq), e.time, e.origin ? `${e.type} (relist at seq ${e.origin.sync})` : e.type, safeIdentity(e)];
}

/**
 * What an event recorded by a relist means, in words, or undefined for an event seen on a watch
 * or read from a file. Shared by `history`, `why` and the inspector.
 */
export function relistNote(e: Pick<LoggedEvent, 'type' | 'origin'>): string | undefined {
  if (!e.origin) return undefined;
  return e.type === 'DELETED'
    ? `removed by relist at seq ${e.origin.sync}: it was not in the cluster any more`
    : `${e.type === 'ADDED' ? 'found' : 'found changed'} by relist at seq ${e.origin.sync}`;
}

export function safeIdentity(e: LoggedEvent): string {
  try {
    return identityOf(e.object, e.seq);
  } catch {
    return `${String(e.object?.kind)}/?`;
  }
}
