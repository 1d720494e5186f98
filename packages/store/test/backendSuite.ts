import type { LoggedEvent } from '@meshfold/core';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog, type EventLogOptions, type StoreReport } from '../src/index.js';
import { keyspaces, type Keyspaces, type LevelDatabase } from '../src/keyspaces.js';
import { FORMAT_KEY } from '../src/recoverMeta.js';
import { seqKey } from '../src/seqKey.js';
import { added, addedRange, collect, failure, workloadEntry } from './support/watchEvents.js';

/** One backend's data, which successive logs can be opened over. */
export interface LogFixture {
  /** A new EventLog over this fixture's data, opened. */
  open(options?: EventLogOptions): Promise<EventLog>;
  /** The bare database under the logs, to tamper with while no log holds it open. */
  raw(): LevelDatabase;
  /** Removes the data; called after each test. */
  dispose(): Promise<void>;
}

export type Backend = () => Promise<LogFixture>;

interface Context {
  fixture: LogFixture;
  logs: EventLog[];
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const seqs = (events: LoggedEvent[]) => events.map((event) => event.seq);
const names = (events: LoggedEvent[]) => events.map((event) => event.object.metadata.name);
const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

/** Registers the behaviour every EventLog backend must have, under `name`, and runs it. */
export function backendSuite(name: string, backend: Backend): void {
  const test = suite<Context>(name, { fixture: undefined as unknown as LogFixture, logs: [] });

  test.before.each(async (context) => {
    context.fixture = await backend();
    context.logs = [];
  });
  test.after.each(async ({ fixture, logs }) => {
    for (const log of logs) await log.close();
    await fixture.dispose();
  });

  const open = async (context: Context, options?: EventLogOptions) => {
    const log = await context.fixture.open(options);
    context.logs.push(log);
    return log;
  };

  /** Closes `log`, edits the raw keyspaces, and opens a new log over the result. */
  const tamper = async (context: Context, log: EventLog, edit: (raw: Keyspaces) => Promise<void>) => {
    await log.close();
    const db = context.fixture.raw();
    await db.open();
    await edit(keyspaces(db));
    await db.close();
    return open(context);
  };

  test('append assigns consecutive seqs starting at 1', async (context) => {
    const log = await open(context);
    assert.equal(await log.append(addedRange(1, 3)), [1, 2, 3]);
    assert.equal(await log.append(addedRange(4, 2)), [4, 5]);
    assert.is(log.lastSeq, 5);
  });

  test('read returns every event in seq order with its type and object', async (context) => {
    const log = await open(context);
    await log.append([added(1), { type: 'MODIFIED', object: workloadEntry(1) }, { type: 'DELETED', object: workloadEntry(2) }]);
    const events = await collect(log.read());
    assert.equal(seqs(events), [1, 2, 3]);
    assert.equal(events.map((event) => event.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(events[2]!.object, workloadEntry(2));
  });

  test('seqsOf lists one object\'s events in order, within a range, and no other object\'s', async (context) => {
    const log = await open(context);
    await log.append([added(1), added(10), { type: 'MODIFIED', object: workloadEntry(1) }, added(2), { type: 'DELETED', object: workloadEntry(1) }]);
    assert.equal(await log.seqsOf('WorkloadEntry/shop/we-1'), [1, 3, 5]);
    assert.equal(await log.seqsOf('WorkloadEntry/shop/we-1', { from: 2, to: 4 }), [3]);
    assert.equal(await log.seqsOf('WorkloadEntry/shop/we-10'), [2]);
    assert.equal(await log.seqsOf('WorkloadEntry/shop/we-3'), []);
  });

  test('identities lists every object with an event under a prefix once, deleted ones too, in key order', async (context) => {
    const log = await open(context);
    await log.append([added(1), added(10), { type: 'MODIFIED', object: workloadEntry(1) }, added(2), { type: 'DELETED', object: workloadEntry(1) }]);
    assert.equal(await log.identities('WorkloadEntry/'), ['WorkloadEntry/shop/we-1', 'WorkloadEntry/shop/we-10', 'WorkloadEntry/shop/we-2']);
    assert.equal(await log.identities('WorkloadEntry/shop/we-1'), ['WorkloadEntry/shop/we-1', 'WorkloadEntry/shop/we-10']);
    assert.equal(await log.identities('ServiceEntry/'), []);
  });

  test('concurrent appends get disjoint, consecutive seqs', async (context) => {
    const log = await open(context);
    const results = await Promise.all(range(0, 19).map((i) => log.append(addedRange(i * 3 + 1, 3))));
    results.forEach((assigned, i) => {
      assert.equal(assigned, [assigned[0]!, assigned[0]! + 1, assigned[0]! + 2], `append ${i} is contiguous`);
    });
    assert.equal(results.flat().sort((a, b) => a - b), range(1, 60));
    const events = await collect(log.read());
    for (const [i, assigned] of results.entries()) {
      const written = assigned.map((seq) => events[seq - 1]!.object.metadata.name);
      assert.equal(written, range(i * 3 + 1, i * 3 + 3).map((n) => `we-${n}`));
    }
  });

  test('an event without a time gets the clock; a given time is kept as written', async (context) => {
    const log = await open(context, { now: () => T0 });
    await log.append([added(1), { ...added(2), time: '2026-01-01T02:00:00+02:00' }]);
    const [first, second] = await collect(log.read());
    assert.is(first!.time, iso(T0));
    assert.is(second!.time, '2026-01-01T02:00:00+02:00');
  });

  test('a clock behind the last event time is held at that time', async (context) => {
    const log = await open(context, { now: () => T0 });
    await log.append([{ ...added(1), time: iso(T0 + 60_000) }]);
    await log.append([added(2)]);
    assert.is((await log.get(2))!.time, iso(T0 + 60_000));
  });

  test('an append with one event that cannot be encoded writes none of its events', async (context) => {
    const log = await open(context, { now: () => T0 });
    const unencodable = { type: 'ADDED', object: { ...workloadEntry(2), spec: { weight: 2n ** 70n } } } as const;
    const err = await failure(log.append([added(1), unencodable as never, added(3)]));
    assert.is(err.code, 'INPUT_MALFORMED');
    assert.match(err.message, 'event [1]');
    assert.is(log.lastSeq, 0);
    assert.equal(await collect(log.read()), []);
    assert.is(await log.get(1), undefined);
    assert.is(await log.seqAt(iso(T0 + 1)), 0);
    assert.equal(await log.append([added(4)]), [1]);
  });

  test('an append with an invalid event type or time writes nothing', async (context) => {
    const log = await open(context);
    await log.append([added(1)]);
    assert.is((await failure(log.append([added(2), { type: 'UPSERT', object: workloadEntry(3) } as never]))).code, 'INPUT_MALFORMED');
    assert.is((await failure(log.append([added(2), { ...added(3), time: 'yesterday' }]))).code, 'INPUT_MALFORMED');
    assert.is(log.lastSeq, 1);
    assert.equal(seqs(await collect(log.read())), [1]);
  });

  test('a given time earlier than the last event time is rejected', async (context) => {
    const log = await open(context);
    await log.append([{ ...added(1), time: iso(T0 + 1000) }]);
    const err = await failure(log.append([{ ...added(2), time: iso(T0) }]));
    assert.is(err.code, 'INPUT_MALFORMED');
    assert.is(log.lastSeq, 1);
  });

  test('read from..to returns exactly that range', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 10));
    assert.equal(seqs(await collect(log.read({ from: 3, to: 6 }))), [3, 4, 5, 6]);
    assert.equal(seqs(await collect(log.read({ from: 9 }))), [9, 10]);
    assert.equal(seqs(await collect(log.read({ to: 2 }))), [1, 2]);
    assert.equal(seqs(await collect(log.read({ from: 5, to: 5 }))), [5]);
  });

  test('read stops at the last seq and is empty past it', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 4));
    assert.equal(seqs(await collect(log.read({ from: 3, to: 100 }))), [3, 4]);
    assert.equal(await collect(log.read({ from: 5 })), []);
    assert.equal(await collect(log.read({ from: 4, to: 3 })), []);
  });

  test('readBatches yields arrays of at most readBatchSize events', async (context) => {
    const log = await open(context, { readBatchSize: 4 });
    await log.append(addedRange(1, 10));
    const batches = await collect(log.readBatches());
    assert.equal(batches.map((batch) => seqs(batch)), [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
  });

  test('get returns the event at a seq, undefined outside the log', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 3));
    assert.equal(names([(await log.get(2))!]), ['we-2']);
    assert.is(await log.get(0), undefined);
    assert.is(await log.get(4), undefined);
  });

  test('seqAt answers the last seq at or before a time', async (context) => {
    const log = await open(context);
    const at = (ms: number) => ({ time: iso(ms) });
    await log.append([{ ...added(1), ...at(T0) }, { ...added(2), ...at(T0) }, { ...added(3), ...at(T0 + 1000) }]);
    await log.append([{ ...added(4), ...at(T0 + 5000) }]);
    assert.is(await log.seqAt(iso(T0 - 1)), 0);
    assert.is(await log.seqAt(iso(T0)), 2);
    assert.is(await log.seqAt(iso(T0 + 999)), 2);
    assert.is(await log.seqAt(iso(T0 + 1000)), 3);
    assert.is(await log.seqAt('2026-01-01T02:00:04+02:00'), 3);
    assert.is(await log.seqAt(iso(T0 + 5000)), 4);
    assert.is(await log.seqAt('2100-01-01T00:00:00Z'), 4);
    // A run of equal times that spans two appends ends at the later one.
    await log.append([{ ...added(5), ...at(T0 + 5000) }, { ...added(6), ...at(T0 + 6000) }]);
    assert.is(await log.seqAt(iso(T0 + 5000)), 5);
    assert.is(await log.seqAt(iso(T0 + 5999)), 5);
    assert.is(await log.seqAt(iso(T0 + 6000)), 6);
  });

  test('seqAt rejects what is not an RFC 3339 time', async (context) => {
    const log = await open(context);
    assert.is((await failure(log.seqAt('2026-01-01'))).code, 'INPUT_MALFORMED');
    assert.is((await failure(log.seqAt('2026-02-30T00:00:00Z'))).code, 'INPUT_MALFORMED');
  });

  test('tail replays from a seq, then follows appends', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 6));
    const tailed = firstValueFrom(log.tail(4).pipe(take(5), timeout({ each: 5000 }), toArray()));
    await log.append(addedRange(7, 2));
    assert.equal(seqs(await tailed), [4, 5, 6, 7, 8]);
  });

  test('tail delivers 1..N exactly once while appends race its catch-up', async (context) => {
    const log = await open(context, { readBatchSize: 7 });
    const total = 3000;
    let reachedHead!: () => void;
    const headStart = new Promise<void>((resolve) => { reachedHead = resolve; });
    const writer = (async () => {
      for (let n = 0, size = 1; n < total; n += size, size = 1 + (n % 13)) {
        await log.append(addedRange(n + 1, Math.min(size, total - n)));
        if (n >= 300) reachedHead();
      }
    })();
    await headStart;
    const subscribedAt = log.lastSeq;
    // A tail that lost an event would wait forever for the last one: fail instead.
    const tailed = await firstValueFrom(log.tail(1).pipe(take(total), timeout({ each: 5000 }), toArray()));
    await writer;
    assert.ok(subscribedAt < total, `appends were still running when tail subscribed (at ${subscribedAt})`);
    assert.equal(seqs(tailed), range(1, total));
    assert.equal(names(tailed), range(1, total).map((n) => `we-${n}`));
  });

  test('tail completes when the log closes', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 2));
    const tailed = firstValueFrom(log.tail().pipe(toArray()));
    await log.append(addedRange(3, 1));
    await log.close();
    assert.equal(seqs(await tailed), [1, 2, 3]);
  });

  test('a snapshot round-trips with its hash and state', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 5));
    const state = { objects: ['WorkloadEntry/shop/we-1'], nested: { n: 1, list: [1, 'two', null] } };
    await log.putSnapshot(3, { projectorVersion: 'p1', hash: 'abc', state });
    assert.equal(await log.snapshotAtOrBefore(5, 'p1'), { seq: 3, hash: 'abc', state });
    assert.equal(await log.snapshotAtOrBefore(3, 'p1'), { seq: 3, hash: 'abc', state });
    assert.is(await log.snapshotAtOrBefore(2, 'p1'), undefined);
  });

  test('snapshots of another projector version are skipped and reported', async (context) => {
    const reports: StoreReport[] = [];
    const log = await open(context, { onReport: (report) => reports.push(report) });
    await log.append(addedRange(1, 5));
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: 2 });
    await log.putSnapshot(4, { projectorVersion: 'p2', hash: 'h4', state: 4 });
    assert.equal(await log.snapshotAtOrBefore(5, 'p1'), { seq: 2, hash: 'h2', state: 2 });
    assert.equal(reports.map(({ code, seq }) => ({ code, seq })), [{ code: 'STORE_SNAPSHOT_REJECTED', seq: 4 }]);
    assert.equal(await log.snapshotAtOrBefore(5, 'p2'), { seq: 4, hash: 'h4', state: 4 });
  });

  test('listSnapshots lists every snapshot, oldest first', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 5));
    await log.putSnapshot(4, { projectorVersion: 'p2', hash: 'h4', state: {} });
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: {} });
    assert.equal(await log.listSnapshots(), [
      { seq: 2, projectorVersion: 'p1', hash: 'h2', checksummed: true },
      { seq: 4, projectorVersion: 'p2', hash: 'h4', checksummed: true },
    ]);
  });

  test('a snapshot outside 1..lastSeq is rejected', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 2));
    const snapshot = { projectorVersion: 'p1', hash: 'h', state: {} };
    assert.is((await failure(log.putSnapshot(3, snapshot))).code, 'STORE_SNAPSHOT_REJECTED');
    assert.is((await failure(log.putSnapshot(0, snapshot))).code, 'STORE_SNAPSHOT_REJECTED');
    assert.equal(await log.listSnapshots(), []);
  });

  test('a snapshot that does not decode is reported and passed over', async (context) => {
    const reports: StoreReport[] = [];
    let log = await open(context);
    await log.append(addedRange(1, 5));
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: 2 });
    await log.putSnapshot(4, { projectorVersion: 'p1', hash: 'h4', state: 4 });
    log = await tamper(context, log, (raw) => raw.snapshots.put(seqKey(4), Uint8Array.of(1, 0x92)));
    await log.close();
    log = await open(context, { onReport: (report) => reports.push(report) });
    assert.equal(await log.snapshotAtOrBefore(5, 'p1'), { seq: 2, hash: 'h2', state: 2 });
    assert.equal(reports.map(({ code, seq }) => ({ code, seq })), [{ code: 'STORE_CORRUPT_VALUE', seq: 4 }]);
    assert.equal((await log.listSnapshots()).map((info) => info.seq), [2]);
  });

  test('every operation after close fails with STORE_NOT_OPEN', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 2));
    await log.close();
    assert.is(log.status, 'closed');
    const snapshot = { projectorVersion: 'p1', hash: 'h', state: {} };
    for (const action of [
      () => log.append(addedRange(3, 1)),
      () => collect(log.read()),
      () => log.get(1),
      () => log.seqAt(iso(T0)),
      () => firstValueFrom(log.tail()),
      () => log.putSnapshot(1, snapshot),
      () => log.snapshotAtOrBefore(2, 'p1'),
      () => log.listSnapshots(),
    ]) {
      assert.is((await failure(action)).code, 'STORE_NOT_OPEN', String(action));
    }
  });

  test('close is idempotent and waits for queued appends', async (context) => {
    const log = await open(context);
    const appending = log.append(addedRange(1, 3));
    await Promise.all([log.close(), log.close()]);
    assert.equal(await appending, [1, 2, 3]);
    await log.close();
    assert.is(log.status, 'closed');
    const again = await open(context);
    assert.is(again.lastSeq, 3);
  });

  test('a reopened log keeps its events and continues their seqs', async (context) => {
    const first = await open(context, { now: () => T0 });
    await first.append(addedRange(1, 3));
    await first.close();
    const second = await open(context, { now: () => T0 - 60_000 });
    assert.is(second.lastSeq, 3);
    assert.equal(await second.append(addedRange(4, 1)), [4]);
    assert.equal(names(await collect(second.read())), ['we-1', 'we-2', 'we-3', 'we-4']);
    assert.is((await second.get(4))!.time, iso(T0), 'the time floor survives the reopen');
  });

  test('a value that does not decode fails the read with STORE_CORRUPT_VALUE naming its seq', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 3));
    log = await tamper(context, log, (raw) => raw.events.put(seqKey(2), Uint8Array.of(1, 0x92, 0x01)));
    const yielded: number[] = [];
    const err = await failure(async () => {
      for await (const event of log.read()) yielded.push(event.seq);
    });
    assert.is(err.code, 'STORE_CORRUPT_VALUE');
    assert.is(err.details.seq, 2);
    assert.match(err.message, 'seq 2');
    assert.equal(yielded, [1]);
    assert.is((await failure(log.get(2))).code, 'STORE_CORRUPT_VALUE');
  });

  test('a value that decodes to something other than that event is STORE_CORRUPT_VALUE', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 3));
    log = await tamper(context, log, async (raw) => {
      await raw.events.put(seqKey(2), (await raw.events.get(seqKey(3)))!);
      await raw.events.put(seqKey(3), Uint8Array.of(1, 0x07));
    });
    const second = await failure(log.get(2));
    assert.is(second.code, 'STORE_CORRUPT_VALUE');
    assert.match(second.message, 'says seq 3');
    assert.is((await failure(log.get(3))).code, 'STORE_CORRUPT_VALUE');
  });

  test('a value with one byte changed that still decodes is STORE_CORRUPT_VALUE (checksum mismatch) naming its seq', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 3));
    log = await tamper(context, log, async (raw) => {
      const value = Uint8Array.from((await raw.events.get(seqKey(2)))!);
      // we-2 → we-3: still a valid event of the same shape, so only the checksum can tell.
      const at = Buffer.from(value).indexOf('we-2');
      value[at + 3] = '3'.charCodeAt(0);
      await raw.events.put(seqKey(2), value);
    });
    const yielded: number[] = [];
    const err = await failure(async () => {
      for await (const event of log.read()) yielded.push(event.seq);
    });
    assert.is(err.code, 'STORE_CORRUPT_VALUE');
    assert.is(err.details.seq, 2);
    assert.match(err.message, /event at seq 2: corrupt value, checksum mismatch/);
    assert.equal(yielded, [1]);
  });

  test('a snapshot with one byte changed is reported STORE_CORRUPT_VALUE and passed over', async (context) => {
    const reports: StoreReport[] = [];
    let log = await open(context);
    await log.append(addedRange(1, 2));
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: 'abc' });
    log = await tamper(context, log, async (raw) => {
      const value = Uint8Array.from((await raw.snapshots.get(seqKey(2)))!);
      value[Buffer.from(value).indexOf('abc')] = 'x'.charCodeAt(0);
      await raw.snapshots.put(seqKey(2), value);
    });
    await log.close();
    log = await open(context, { onReport: (report) => reports.push(report) });
    assert.is(await log.snapshotAtOrBefore(2, 'p1'), undefined);
    assert.equal(reports.map(({ code, seq }) => ({ code, seq })), [{ code: 'STORE_CORRUPT_VALUE', seq: 2 }]);
    assert.match(reports[0]!.message, 'checksum mismatch');
  });

  test('values of format 1 (no checksum) still read, and are listed as unchecked', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 2));
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: 2 });
    log = await tamper(context, log, async (raw) => {
      // Format 1 was the version byte then the msgpack body: drop the 4 checksum bytes.
      for (const space of [raw.events, raw.snapshots]) {
        for await (const [key, value] of space.iterator()) await space.put(key, Uint8Array.of(1, ...value.subarray(5)));
      }
      await raw.meta.put(FORMAT_KEY, Uint8Array.of(1));
    });
    assert.equal(names(await collect(log.read())), ['we-1', 'we-2']);
    assert.equal(await log.listSnapshots(), [{ seq: 2, projectorVersion: 'p1', hash: 'h2', checksummed: false }]);
    await log.append(addedRange(3, 1));
    assert.equal(names(await collect(log.read())), ['we-1', 'we-2', 'we-3']);
  });

  test('an unknown format version byte is STORE_UNKNOWN_FORMAT naming its seq', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 3));
    log = await tamper(context, log, async (raw) => {
      const value = (await raw.events.get(seqKey(3)))!;
      await raw.events.put(seqKey(3), Uint8Array.of(9, ...value.subarray(1)));
    });
    const err = await failure(collect(log.read()));
    assert.is(err.code, 'STORE_UNKNOWN_FORMAT');
    assert.is(err.details.seq, 3);
  });

  test('missing events are STORE_CORRUPT_MISSING naming the missing seqs', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 4));
    log = await tamper(context, log, (raw) => raw.events.del(seqKey(2)));
    const err = await failure(collect(log.read()));
    assert.is(err.code, 'STORE_CORRUPT_MISSING');
    assert.is(err.details.seq, 2);
    assert.match(err.message, 'event seq 2 is missing: the log is damaged');
    assert.is((await failure(log.get(2))).code, 'STORE_CORRUPT_MISSING');
    assert.is((await failure(log.getMany([1, 2]))).code, 'STORE_CORRUPT_MISSING');
    assert.equal(seqs(await collect(log.read({ from: 3 }))), [3, 4]);
  });

  test('a run of missing events is named whole, and events missing at the end fail the open', async (context) => {
    let log = await open(context);
    await log.append(addedRange(1, 6));
    log = await tamper(context, log, async (raw) => {
      await raw.events.del(seqKey(2));
      await raw.events.del(seqKey(3));
    });
    const gap = await failure(collect(log.read()));
    assert.is(gap.code, 'STORE_CORRUPT_MISSING');
    assert.match(gap.message, 'events seq 2..3 (2) are missing');
    assert.equal([gap.details.seq, gap.details.to], [2, 3]);
    await log.close();
    const db = context.fixture.raw();
    await db.open();
    await keyspaces(db).events.del(seqKey(5));
    await keyspaces(db).events.del(seqKey(6));
    await db.close();
    const end = await failure(context.fixture.open());
    assert.is(end.code, 'STORE_CORRUPT_MISSING');
    // A disk log names its acknowledged-seq marker as the evidence, a memory log its meta.
    assert.match(end.message, /events seq 5\.\.6 \(2\) are missing: the log is damaged \((the log ends at seq 4 but acknowledged seq 6|the last event is seq 4, the log's meta says 6)/);
  });

  test('a log of an unknown format version does not open, and lets go of the database', async (context) => {
    const log = await open(context);
    await log.append(addedRange(1, 1));
    await log.close();
    const db = context.fixture.raw();
    await db.open();
    await keyspaces(db).meta.put(FORMAT_KEY, Uint8Array.of(9));
    await db.close();
    const err = await failure(context.fixture.open());
    assert.is(err.code, 'STORE_UNKNOWN_FORMAT');
    assert.match(err.message, 'version 9');
    await db.open();
    await db.close();
  });

  test.run();
}
