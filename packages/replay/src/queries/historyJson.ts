import { isMeshfoldError, nameKey, parseObjectKey, Projector, type Delta, type LoggedEvent } from '@meshfold/core';
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

/** Events per `getMany`: large enough that LevelDB's round trips are few, small enough to keep memory flat. */
const READ_BATCH = 1000;

/**
 * `history -o json` and `/api/history`: every event that touched the object, and every event on
 * another object that changed this object's associations, with what each changed. `key` is a
 * checked `Kind/ns/name` (queries/parseObjectKey).
 *
 * The fold never crosses namespaces: a ServiceEntry selects only WorkloadEntries of its own
 * namespace and endpoint shards are keyed (host, namespace). So every delta an object's history
 * holds — its own events' shard lists included — comes from events of objects in its namespace,
 * and only those are read, through the log's object index. Only the object's own events need full
 * deltas; the others are replayed, which still returns the association deltas looked for.
 */
export async function historyJson(log: EventLog, key: string): Promise<{ object: string; entries: HistoryEntry[] }> {
  const { kind, namespace, name } = parseObjectKey(key)!;
  const short = nameKey({ namespace, name });
  const involves = (d: Delta) => (d.type === 'association-added' || d.type === 'association-removed')
    && (kind === 'ServiceEntry' ? d.serviceEntry === short : d.workloadEntry === short);
  // Everything read stops at the same seq, so a log appended to meanwhile gives a consistent answer.
  const to = log.lastSeq;
  const ownSeqs = await log.seqsOf(key, { to });
  // An object the log never saw has no history: no event about another can involve it.
  if (ownSeqs.length === 0) return { object: key, entries: [] };
  const seqs = await namespaceSeqs(log, namespace, to);
  const projector = new Projector();
  const entries: HistoryEntry[] = [];
  for await (const batch of readInBatches(log, seqs)) {
    for (const event of batch) {
      const object = safeIdentity(event);
      const own = object === key;
      const origin = event.origin ? { origin: { sync: event.origin.sync }, note: relistNote(event)! } : {};
      try {
        const { deltas } = own ? projector.apply(event, event.seq) : projector.replay(event, event.seq);
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

/** The seqs, up to `to`, of every event about a ServiceEntry or WorkloadEntry of `namespace`, in order. */
async function namespaceSeqs(log: EventLog, namespace: string, to: number): Promise<Float64Array> {
  const identities = (await Promise.all(['ServiceEntry', 'WorkloadEntry'].map((kind) => log.identities(`${kind}/${namespace}/`)))).flat();
  const perObject = await Promise.all(identities.map((identity) => log.seqsOf(identity, { to })));
  const seqs = new Float64Array(perObject.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const list of perObject) { seqs.set(list, at); at += list.length; }
  // Each object's seqs are sorted, but events of different objects interleave: a typed sort is numeric.
  return seqs.sort();
}

/** The events at `seqs` in order, in batches, the next one read while the caller folds the last. */
async function* readInBatches(log: EventLog, seqs: Float64Array): AsyncGenerator<LoggedEvent[]> {
  const read = (from: number) => {
    const events = log.getMany(Array.from(seqs.subarray(from, from + READ_BATCH)));
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
