import { deltaText, isMeshfoldError, nameKey, parseObjectKey as partsOfObjectKey, Projector, type Delta } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { formatTable } from '../formatTable.js';
import type { Io } from '../../io/Io.js';
import { outputFormat, parseObjectKey } from '../../queries/resolvePoint.js';
import { relistNote, safeIdentity } from './events.js';

export interface HistoryEntry {
  seq: number;
  time: string;
  type: string;
  /** The object the event was about: the one asked for, or another whose change involved it. */
  object: string;
  deltas: Delta[];
  error?: { code: string; message: string };
  /** Set when a relist recorded the event: the seq the relist began at. */
  origin?: { sync: number };
  /** The event's origin in words, e.g. `removed by relist at seq 12: it was not in the cluster any more`. */
  note?: string;
}

/**
 * Every event that touched the object, and every event on another object that changed this
 * object's associations, with what each changed. Replays the whole log: history needs all of it.
 */
export async function history(log: EventLog, target: unknown, options: { o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const value = await historyJson(log, parseObjectKey(target));
  const { object: key, entries } = value;
  if (format === 'json') io.out(`${JSON.stringify(value, null, 2)}\n`);
  else if (entries.length === 0) io.out(`no event in the log touched ${key}\n`);
  else io.out(formatTable(['SEQ', 'TIME', 'EVENT', 'CHANGES'], entries.map(row)));
  return 0;
}

/** The `-o json` value, shared with the inspector; `key` is a checked `Kind/ns/name` (parseObjectKey). */
export async function historyJson(log: EventLog, key: string): Promise<{ object: string; entries: HistoryEntry[] }> {
  const { kind, namespace, name } = partsOfObjectKey(key)!;
  const short = nameKey({ namespace, name });
  const involves = (d: Delta) => (d.type === 'association-added' || d.type === 'association-removed')
    && (kind === 'ServiceEntry' ? d.serviceEntry === short : d.workloadEntry === short);
  const projector = new Projector();
  const entries: HistoryEntry[] = [];
  for await (const batch of log.readBatches()) {
    for (const event of batch) {
      const object = safeIdentity(event);
      const own = object === key;
      const note = relistNote(event);
      const origin = event.origin ? { origin: { sync: event.origin.sync }, note: note! } : {};
      try {
        const { deltas } = projector.apply(event, event.seq);
        const relevant = own ? [...deltas] : deltas.filter(involves);
        if (own || relevant.length > 0) entries.push({ seq: event.seq, time: event.time, type: event.type, object, deltas: relevant, ...origin });
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        projector.skip(event.seq);
        if (own) entries.push({ seq: event.seq, time: event.time, type: event.type, object, deltas: [], error: { code: err.code, message: err.message }, ...origin });
      }
    }
  }
  return { object: key, entries };
}

function row(e: HistoryEntry): string[] {
  const changes = e.error ? `rejected: ${e.error.code}` : [e.note, ...e.deltas.map((d) => deltaText(d))].filter(Boolean).join('; ') || 'no change';
  return [String(e.seq), e.time, `${e.type} ${e.object}`, changes];
}


