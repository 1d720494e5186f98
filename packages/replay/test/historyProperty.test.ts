import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMeshfoldError, nameKey, parseObjectKey, Projector, PROJECTOR_VERSION, type Delta, type LoggedEvent } from '@meshfold/core';
import { watchEvent, watchStream } from '@meshfold/testing';
import { EventLog, type AppendEvent } from '@meshfold/store';
import { historyJson, indexLinks, type HistoryEntry } from '../src/index.js';
import { relistNote } from '../src/queries/relistNote.js';
import { safeIdentity } from '../src/queries/safeIdentity.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 10;
// Every object the generator can name, in both of its namespaces.
const OBJECTS = ['a', 'b'].flatMap((ns) => [
  ...['s1', 's2', 's3'].map((n) => `ServiceEntry/${ns}/${n}`),
  ...['w1', 'w2', 'w3', 'w4'].map((n) => `WorkloadEntry/${ns}/${n}`),
]);

/** The history from a replay of the whole log with full deltas, the way `history` worked before it read one namespace. */
function byFullReplay(events: LoggedEvent[], key: string): HistoryEntry[] {
  const { kind, namespace, name } = parseObjectKey(key)!;
  const short = nameKey({ namespace, name });
  const involves = (d: Delta) => (d.type === 'association-added' || d.type === 'association-removed')
    && (kind === 'ServiceEntry' ? d.serviceEntry === short : d.workloadEntry === short);
  const projector = new Projector();
  const entries: HistoryEntry[] = [];
  for (const event of events) {
    const object = safeIdentity(event);
    const own = object === key;
    const origin = event.origin ? { origin: { sync: event.origin.sync }, note: relistNote(event)! } : {};
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
  return entries;
}

test('history read from the object\'s namespace equals a replay of the whole log, for every object', async () => {
  await fc.assert(fc.asyncProperty(watchStream(40), async (stream) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(stream); // raw: invalid events reach this log, as from an older projector
      const events: LoggedEvent[] = [];
      for await (const batch of log.readBatches()) events.push(...batch);
      await assertBothWays(log, events);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('history from a link index that ends before the log, and the events after it, equals a replay of the whole log', async () => {
  await fc.assert(fc.asyncProperty(watchStream(40), watchStream(15), async (indexed, after) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(indexed);
      await indexLinks(log);
      await log.append(after); // as a live recorder's appends are, before its fold thread indexes them
      const events: LoggedEvent[] = [];
      for await (const batch of log.readBatches()) events.push(...batch);
      for (const key of OBJECTS) assert.equal(await historyJson(log, key), { object: key, entries: byFullReplay(events, key) }, key);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

/** History from the events alone, then from the link index, each equal to a replay of the whole log, for every object. */
async function assertBothWays(log: EventLog, events: LoggedEvent[]): Promise<void> {
  for (const key of OBJECTS) assert.equal(await historyJson(log, key), { object: key, entries: byFullReplay(events, key) }, `${key}, without the link index`);
  assert.is(await indexLinks(log), log.lastSeq);
  for (const key of OBJECTS) assert.equal(await historyJson(log, key), { object: key, entries: byFullReplay(events, key) }, `${key}, from the link index`);
}

/**
 * Long logs, where each object has many events between another's, so that history reads only the
 * last of a run of them (and falls back on the one before when that one is invalid); some events
 * come from relists, and the log holds snapshots, which history must not need to be right.
 */
test('history equals a replay of the whole log on long logs with relists and snapshots', async () => {
  const relisted = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined, freq: 4 });
  const stream = fc.array(fc.tuple(watchEvent, relisted), { minLength: 1, maxLength: 150 });
  await fc.assert(fc.asyncProperty(stream, fc.integer({ min: 1, max: 20 }), async (pairs, snapshotEvery) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(pairs.map(([event, sync]): AppendEvent => (sync === undefined ? event : { ...event, origin: { sync } })));
      const events: LoggedEvent[] = [];
      for await (const batch of log.readBatches()) events.push(...batch);
      const projector = new Projector();
      for (const event of events) {
        try {
          projector.replay(event, event.seq);
        } catch (err) {
          if (!isMeshfoldError(err)) throw err;
          projector.skip(event.seq);
        }
        if (event.seq % snapshotEvery === 0) {
          const state = projector.toSnapshot();
          await log.putSnapshot(event.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(state), state });
        }
      }
      await assertBothWays(log, events);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test.run();
