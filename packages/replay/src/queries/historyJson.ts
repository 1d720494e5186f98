import { isMeshfoldError, nameKey, parseObjectKey, Projector, type Delta } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { relistNote } from './relistNote.js';
import { safeIdentity } from './safeIdentity.js';

/** One event in an object's history and what it changed. */
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
 * `history -o json` and `/api/history`: every event that touched the object, and every event on
 * another object that changed this object's associations, with what each changed. Replays the
 * whole log: history needs all of it. `key` is a checked `Kind/ns/name` (queries/parseObjectKey).
 */
export async function historyJson(log: EventLog, key: string): Promise<{ object: string; entries: HistoryEntry[] }> {
  const { kind, namespace, name } = parseObjectKey(key)!;
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
