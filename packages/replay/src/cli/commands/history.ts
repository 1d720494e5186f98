import { deltaText } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { historyJson, type HistoryEntry } from '../../queries/historyJson.js';
import { parseObjectKey } from '../../queries/parseObjectKey.js';
import { formatJson } from '../formatJson.js';
import { formatTable } from '../formatTable.js';
import { outputFormat } from '../outputFormat.js';

/** `meshfold history`: the object's {@link historyJson} as a table, or as JSON (`-o json`). */
export async function history(log: EventLog, target: unknown, options: { o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const value = await historyJson(log, parseObjectKey(target));
  const { object: key, entries } = value;
  if (format === 'json') io.out(formatJson(value));
  else if (entries.length === 0) io.out(`no event in the log touched ${key}\n`);
  else io.out(formatTable(['SEQ', 'TIME', 'EVENT', 'CHANGES'], entries.map(row)));
  return 0;
}

function row(e: HistoryEntry): string[] {
  const changes = e.error ? `rejected: ${e.error.code}` : [e.note, ...e.deltas.map((d) => deltaText(d))].filter(Boolean).join('; ') || 'no change';
  return [String(e.seq), e.time, `${e.type} ${e.object}`, changes];
}
