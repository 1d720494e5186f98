import { nameKey, parseObjectKey, Projector, type Delta, type LoggedEvent } from '@meshfold/core';
import { loadState, type EventLog } from '@meshfold/store';
import { LINK_INDEX } from '../linkIndex/linkIndexName.js';
import { applyOwn } from './applyOwn.js';
import { historyEntry as entry, type HistoryEntry } from './historyEntry.js';
import { historyFromLinks } from './historyFromLinks.js';
import { historyReads } from './historyReads.js';
import { readInBatches } from './readInBatches.js';
import { safeIdentity } from './safeIdentity.js';
import { tryReplay } from './tryReplay.js';

export type { HistoryEntry } from './historyEntry.js';

/** Options of {@link historyJson}. */
export interface HistoryOptions {
  /** Use the log's link index (default true); false reads the events alone, for the same answer. */
  linkIndex?: boolean;
}

/** The most events past the link index's end that history folds on from there, rather than not use the index. */
const UNINDEXED_TAIL = 10_000;

/**
 * `history -o json` and `/api/history`: every event that touched the object, and every event on
 * another object that changed this object's associations, with what each changed. `key` is a
 * checked `Kind/ns/name` (queries/parseObjectKey).
 *
 * The fold never crosses namespaces: a ServiceEntry selects only WorkloadEntries of its own
 * namespace and endpoint shards are keyed (host, namespace). So every delta an object's history
 * holds — its own events' shard lists included — comes from events of objects in its namespace.
 * With a link index, `historyFromLinks` reads just the events the answer is made of, up to where
 * the index ends; a short rest is folded on from the state there (`foldedTail`). Without one, the namespace's events are found through the log's object index and of
 * those only what `historyReads` picks is read and folded: the object's own events (with full
 * deltas), events of the other kind while it exists (their association deltas), and of the rest
 * only each object's last event before each of the object's own events. Either way the fold is
 * the projector's own, so the answer is exactly a replay's; the states it holds on the way are
 * not states of the log, and nothing but this history looks at them.
 */
export async function historyJson(log: EventLog, key: string, options: HistoryOptions = {}): Promise<{ object: string; entries: HistoryEntry[] }> {
  const { kind, namespace, name } = parseObjectKey(key)!;
  const short = nameKey({ namespace, name });
  const involves = (d: Delta) => (d.type === 'association-added' || d.type === 'association-removed')
    && (kind === 'ServiceEntry' ? d.serviceEntry === short : d.workloadEntry === short);
  // Everything read stops at the same seq, so a log appended to meanwhile gives a consistent answer.
  const to = log.lastSeq;
  const ownSeqs = await log.seqsOf(key, { to });
  // An object the log never saw has no history: no event about another can involve it.
  if (ownSeqs.length === 0) return { object: key, entries: [] };
  const indexed = (options.linkIndex ?? true) && log.capabilities.derivedIndexes ? Math.min(await log.indexedThrough(LINK_INDEX), to) : 0;
  // Up to where the index reaches from it; a short rest (a live recorder's fold lags its appends a
  // little) by folding on from the state there, which snapshots make cheap.
  if (indexed > 0 && to - indexed <= UNINDEXED_TAIL) {
    const own = await log.getMany(ownSeqs);
    const head = own.filter((event) => event.seq <= indexed);
    // Before its first event an object has no associations, so no other event is in its history.
    const entries = head.length > 0 ? await historyFromLinks(log, key, kind, namespace, name, indexed, head) : [];
    if (indexed < to) entries.push(...await foldedTail(log, key, involves, indexed, to));
    return { object: key, entries };
  }
  const [own, others] = await Promise.all([log.getMany(ownSeqs), namespaceObjects(log, kind, namespace, key, to)]);
  const reads = historyReads(ownSeqs, existsAfter(own, key), others);

  const projector = new Projector();
  const entries: HistoryEntry[] = [];
  // The last seq of each other object applied (or tried), by its seq list.
  const applied = new Map<readonly number[], number>();
  let next = 0;
  for await (const batch of readInBatches(log, reads.seqs)) {
    for (const event of batch) {
      while (next < own.length && own[next]!.seq < event.seq) entries.push(applyOwn(projector, own[next++]!));
      const objectSeqs = reads.objectSeqs(event.seq);
      if (reads.role(event.seq) === 'watch') {
        const relevant = tryReplay(projector, event)?.filter(involves) ?? [];
        if (relevant.length > 0) entries.push(entry(event, relevant));
      } else if (!tryReplay(projector, event)) {
        // Its version is then the one before, as a replay of every event would have kept.
        await applyLastValid(log, projector, objectSeqs.filter((seq) => seq > (applied.get(objectSeqs) ?? 0) && seq < event.seq));
      }
      applied.set(objectSeqs, event.seq);
    }
  }
  while (next < own.length) entries.push(applyOwn(projector, own[next++]!));
  return { object: key, entries };
}

/** The entries of events `from + 1..to`, by folding them onto the state after `from`, as a replay would. */
async function foldedTail(log: EventLog, key: string, involves: (d: Delta) => boolean, from: number, to: number): Promise<HistoryEntry[]> {
  const projector = await loadState(log, from);
  const entries: HistoryEntry[] = [];
  for await (const batch of log.readBatches({ from: from + 1, to })) {
    for (const event of batch) {
      if (safeIdentity(event) === key) {
        entries.push(applyOwn(projector, event));
      } else {
        const relevant = tryReplay(projector, event)?.filter(involves) ?? [];
        if (relevant.length > 0) entries.push(entry(event, relevant));
      }
    }
  }
  return entries;
}

/** Whether the object exists after each of its events: only its own events add or remove it. */
function existsAfter(own: LoggedEvent[], key: string): boolean[] {
  const alone = new Projector();
  return own.map((event) => {
    tryReplay(alone, event);
    return alone.lookup(key) !== undefined;
  });
}

/** Applies the last of `seqs` (one object's events) that the fold accepts, if any. */
async function applyLastValid(log: EventLog, projector: Projector, seqs: number[]): Promise<void> {
  if (seqs.length === 0) return;
  const events = await log.getMany(seqs);
  for (let i = events.length - 1; i >= 0; i--) if (tryReplay(projector, events[i]!)) return;
}

/** The seqs, up to `to`, of every other ServiceEntry and WorkloadEntry of `namespace`, and whether each is of the other kind. */
async function namespaceObjects(log: EventLog, kind: string, namespace: string, key: string, to: number) {
  const identities = (await Promise.all(['ServiceEntry', 'WorkloadEntry'].map((k) => log.identities(`${k}/${namespace}/`)))).flat()
    .filter((identity) => identity !== key);
  return Promise.all(identities.map(async (identity) => ({
    seqs: await log.seqsOf(identity, { to }),
    otherKind: !identity.startsWith(`${kind}/`),
  })));
}
