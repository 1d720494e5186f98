import type { LoggedEvent } from '@meshfold/core';
import * as assert from 'node:assert/strict';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import type { EventLog, EventLogOptions } from '../EventLog.js';
import type { StoreReport } from '../StoreReport.js';
import { added, addedRange, collect, failure, workloadEntry } from './events.js';

/** One backend's data, which successive logs can be opened over. */
export interface LogFixture {
  /** A new log over this fixture's data, opened. Each call is a new opener of the same data. */
  open(options?: EventLogOptions): Promise<EventLog>;
  /** Removes the data; called after each case, once every log it opened is closed. */
  dispose(): Promise<void>;
}

/** Makes a fresh, empty fixture for one case. */
export type LogBackend = () => Promise<LogFixture>;

/** One behaviour every `EventLog` must have: register `run` with any test runner under `name`. */
export interface ConformanceCase {
  readonly name: string;
  run(): Promise<void>;
}

interface Context {
  fixture: LogFixture;
  logs: EventLog[];
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const seqs = (events: LoggedEvent[]) => events.map((event) => event.seq);
const names = (events: LoggedEvent[]) => events.map((event) => event.object.metadata.name);
const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

/**
 * The conformance suite of the `EventLog` interface, as plain async functions with `node:assert`
 * (no test framework needed): `for (const c of logConformance(backend)) test(c.name, c.run)`.
 * Each case gets a fresh fixture, closes the logs it opened and disposes of the fixture.
 */
export function logConformance(backend: LogBackend): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const test = (name: string, body: (context: Context) => Promise<void>) => {
    cases.push({
      name,
      run: async () => {
        const context: Context = { fixture: await backend(), logs: [] };
        try {
          await body(context);
        } finally {
          for (const log of context.logs) await log.close();
          await context.fixture.dispose();
        }
      },
    });
  };

  const open = async (context: Context, options?: EventLogOptions) => {
    const log = await context.fixture.open(options);
    context.logs.push(log);
    return log;
  };

  test('append assigns consecutive seqs starting at 1', async (context: Context) => {
    const log = await open(context);
    assert.deepStrictEqual(await log.append(addedRange(1, 3)), [1, 2, 3]);
    assert.deepStrictEqual(await log.append(addedRange(4, 2)), [4, 5]);
    assert.strictEqual(log.lastSeq, 5);
  });

  test('read returns every event in seq order with its type and object', async (context: Context) => {
    const log = await open(context);
    await log.append([added(1), { type: 'MODIFIED', object: workloadEntry(1) }, { type: 'DELETED', object: workloadEntry(2) }]);
    const events = await collect(log.read());
    assert.deepStrictEqual(seqs(events), [1, 2, 3]);
    assert.deepStrictEqual(events.map((event) => event.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.deepStrictEqual(events[2]!.object, workloadEntry(2));
  });

  test('seqsOf lists one object\'s events in order, within a range, and no other object\'s', async (context: Context) => {
    const log = await open(context);
    await log.append([added(1), added(10), { type: 'MODIFIED', object: workloadEntry(1) }, added(2), { type: 'DELETED', object: workloadEntry(1) }]);
    assert.deepStrictEqual(await log.seqsOf('WorkloadEntry/shop/we-1'), [1, 3, 5]);
    assert.deepStrictEqual(await log.seqsOf('WorkloadEntry/shop/we-1', { from: 2, to: 4 }), [3]);
    assert.deepStrictEqual(await log.seqsOf('WorkloadEntry/shop/we-10'), [2]);
    assert.deepStrictEqual(await log.seqsOf('WorkloadEntry/shop/we-3'), []);
  });

  test('lastSeqOf answers an object\'s last seq, overall and within a range', async (context: Context) => {
    const log = await open(context);
    await log.append([added(1), added(10), { type: 'MODIFIED', object: workloadEntry(1) }, added(2), { type: 'DELETED', object: workloadEntry(1) }]);
    assert.strictEqual(await log.lastSeqOf('WorkloadEntry/shop/we-1'), 5);
    assert.strictEqual(await log.lastSeqOf('WorkloadEntry/shop/we-1', { to: 4 }), 3);
    assert.strictEqual(await log.lastSeqOf('WorkloadEntry/shop/we-1', { from: 2, to: 2 }), 0);
    assert.strictEqual(await log.lastSeqOf('WorkloadEntry/shop/we-1', { to: 0 }), 0);
    assert.strictEqual(await log.lastSeqOf('WorkloadEntry/shop/we-10', { from: 2 }), 2);
    assert.strictEqual(await log.lastSeqOf('WorkloadEntry/shop/we-3'), 0);
  });

  test('identities lists every object with an event under a prefix once, deleted ones too, in key order', async (context: Context) => {
    const log = await open(context);
    await log.append([added(1), added(10), { type: 'MODIFIED', object: workloadEntry(1) }, added(2), { type: 'DELETED', object: workloadEntry(1) }]);
    assert.deepStrictEqual(await log.identities('WorkloadEntry/'), ['WorkloadEntry/shop/we-1', 'WorkloadEntry/shop/we-10', 'WorkloadEntry/shop/we-2']);
    assert.deepStrictEqual(await log.identities('WorkloadEntry/shop/we-1'), ['WorkloadEntry/shop/we-1', 'WorkloadEntry/shop/we-10']);
    assert.deepStrictEqual(await log.identities('ServiceEntry/'), []);
  });

  test('concurrent appends get disjoint, consecutive seqs', async (context: Context) => {
    const log = await open(context);
    const results = await Promise.all(range(0, 19).map((i) => log.append(addedRange(i * 3 + 1, 3))));
    results.forEach((assigned, i) => {
      assert.deepStrictEqual(assigned, [assigned[0]!, assigned[0]! + 1, assigned[0]! + 2], `append ${i} is contiguous`);
    });
    assert.deepStrictEqual(results.flat().sort((a, b) => a - b), range(1, 60));
    const events = await collect(log.read());
    for (const [i, assigned] of results.entries()) {
      const written = assigned.map((seq) => events[seq - 1]!.object.metadata.name);
      assert.deepStrictEqual(written, range(i * 3 + 1, i * 3 + 3).map((n) => `we-${n}`));
    }
  });

  test('an event without a time gets the clock; a given time is kept as written', async (context: Context) => {
    const log = await open(context, { now: () => T0 });
    await log.append([added(1), { ...added(2), time: '2026-01-01T02:00:00+02:00' }]);
    const [first, second] = await collect(log.read());
    assert.strictEqual(first!.time, iso(T0));
    assert.strictEqual(second!.time, '2026-01-01T02:00:00+02:00');
  });

  test('a clock behind the last event time is held at that time', async (context: Context) => {
    const log = await open(context, { now: () => T0 });
    await log.append([{ ...added(1), time: iso(T0 + 60_000) }]);
    await log.append([added(2)]);
    assert.strictEqual((await log.get(2))!.time, iso(T0 + 60_000));
  });

  test('an append with one event that cannot be encoded writes none of its events', async (context: Context) => {
    const log = await open(context, { now: () => T0 });
    const unencodable = { type: 'ADDED', object: { ...workloadEntry(2), spec: { weight: 2n ** 70n } } } as const;
    const err = await failure(log.append([added(1), unencodable as never, added(3)]));
    assert.strictEqual(err.code, 'INPUT_MALFORMED');
    assert.ok(err.message.includes('event [1]'), err.message);
    assert.strictEqual(log.lastSeq, 0);
    assert.deepStrictEqual(await collect(log.read()), []);
    assert.strictEqual(await log.get(1), undefined);
    assert.strictEqual(await log.seqAt(iso(T0 + 1)), 0);
    assert.deepStrictEqual(await log.append([added(4)]), [1]);
  });

  test('an append with an invalid event type or time writes nothing', async (context: Context) => {
    const log = await open(context);
    await log.append([added(1)]);
    assert.strictEqual((await failure(log.append([added(2), { type: 'UPSERT', object: workloadEntry(3) } as never]))).code, 'INPUT_MALFORMED');
    assert.strictEqual((await failure(log.append([added(2), { ...added(3), time: 'yesterday' }]))).code, 'INPUT_MALFORMED');
    assert.strictEqual(log.lastSeq, 1);
    assert.deepStrictEqual(seqs(await collect(log.read())), [1]);
  });

  test('a given time earlier than the last event time is rejected', async (context: Context) => {
    const log = await open(context);
    await log.append([{ ...added(1), time: iso(T0 + 1000) }]);
    const err = await failure(log.append([{ ...added(2), time: iso(T0) }]));
    assert.strictEqual(err.code, 'INPUT_MALFORMED');
    assert.strictEqual(log.lastSeq, 1);
  });

  test('read from..to returns exactly that range', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 10));
    assert.deepStrictEqual(seqs(await collect(log.read({ from: 3, to: 6 }))), [3, 4, 5, 6]);
    assert.deepStrictEqual(seqs(await collect(log.read({ from: 9 }))), [9, 10]);
    assert.deepStrictEqual(seqs(await collect(log.read({ to: 2 }))), [1, 2]);
    assert.deepStrictEqual(seqs(await collect(log.read({ from: 5, to: 5 }))), [5]);
  });

  test('read stops at the last seq and is empty past it', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 4));
    assert.deepStrictEqual(seqs(await collect(log.read({ from: 3, to: 100 }))), [3, 4]);
    assert.deepStrictEqual(await collect(log.read({ from: 5 })), []);
    assert.deepStrictEqual(await collect(log.read({ from: 4, to: 3 })), []);
  });

  test('readBatches yields arrays of at most readBatchSize events', async (context: Context) => {
    const log = await open(context, { readBatchSize: 4 });
    await log.append(addedRange(1, 10));
    const batches = await collect(log.readBatches());
    assert.deepStrictEqual(batches.map((batch) => seqs(batch)), [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
  });

  test('get returns the event at a seq, undefined outside the log', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 3));
    assert.deepStrictEqual(names([(await log.get(2))!]), ['we-2']);
    assert.strictEqual(await log.get(0), undefined);
    assert.strictEqual(await log.get(4), undefined);
  });

  test('seqAt answers the last seq at or before a time', async (context: Context) => {
    const log = await open(context);
    const at = (ms: number) => ({ time: iso(ms) });
    await log.append([{ ...added(1), ...at(T0) }, { ...added(2), ...at(T0) }, { ...added(3), ...at(T0 + 1000) }]);
    await log.append([{ ...added(4), ...at(T0 + 5000) }]);
    assert.strictEqual(await log.seqAt(iso(T0 - 1)), 0);
    assert.strictEqual(await log.seqAt(iso(T0)), 2);
    assert.strictEqual(await log.seqAt(iso(T0 + 999)), 2);
    assert.strictEqual(await log.seqAt(iso(T0 + 1000)), 3);
    assert.strictEqual(await log.seqAt('2026-01-01T02:00:04+02:00'), 3);
    assert.strictEqual(await log.seqAt(iso(T0 + 5000)), 4);
    assert.strictEqual(await log.seqAt('2100-01-01T00:00:00Z'), 4);
    // A run of equal times that spans two appends ends at the later one.
    await log.append([{ ...added(5), ...at(T0 + 5000) }, { ...added(6), ...at(T0 + 6000) }]);
    assert.strictEqual(await log.seqAt(iso(T0 + 5000)), 5);
    assert.strictEqual(await log.seqAt(iso(T0 + 5999)), 5);
    assert.strictEqual(await log.seqAt(iso(T0 + 6000)), 6);
  });

  test('seqAt rejects what is not an RFC 3339 time', async (context: Context) => {
    const log = await open(context);
    assert.strictEqual((await failure(log.seqAt('2026-01-01'))).code, 'INPUT_MALFORMED');
    assert.strictEqual((await failure(log.seqAt('2026-02-30T00:00:00Z'))).code, 'INPUT_MALFORMED');
  });

  test('tail replays from a seq, then follows appends', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 6));
    const tailed = firstValueFrom(log.tail(4).pipe(take(5), timeout({ each: 5000 }), toArray()));
    await log.append(addedRange(7, 2));
    assert.deepStrictEqual(seqs(await tailed), [4, 5, 6, 7, 8]);
  });

  test('tail delivers 1..N exactly once while appends race its catch-up', async (context: Context) => {
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
    assert.deepStrictEqual(seqs(tailed), range(1, total));
    assert.deepStrictEqual(names(tailed), range(1, total).map((n) => `we-${n}`));
  });

  test('tail completes when the log closes', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 2));
    const tailed = firstValueFrom(log.tail().pipe(toArray()));
    await log.append(addedRange(3, 1));
    await log.close();
    assert.deepStrictEqual(seqs(await tailed), [1, 2, 3]);
  });

  test('a snapshot round-trips with its hash and state', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 5));
    const state = { objects: ['WorkloadEntry/shop/we-1'], nested: { n: 1, list: [1, 'two', null] } };
    await log.putSnapshot(3, { projectorVersion: 'p1', hash: 'abc', state });
    assert.deepStrictEqual(await log.snapshotAtOrBefore(5, 'p1'), { seq: 3, hash: 'abc', state });
    assert.deepStrictEqual(await log.snapshotAtOrBefore(3, 'p1'), { seq: 3, hash: 'abc', state });
    assert.strictEqual(await log.snapshotAtOrBefore(2, 'p1'), undefined);
  });

  test('snapshots of another projector version are skipped and reported', async (context: Context) => {
    const reports: StoreReport[] = [];
    const log = await open(context, { onReport: (report) => reports.push(report) });
    await log.append(addedRange(1, 5));
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: 2 });
    await log.putSnapshot(4, { projectorVersion: 'p2', hash: 'h4', state: 4 });
    assert.deepStrictEqual(await log.snapshotAtOrBefore(5, 'p1'), { seq: 2, hash: 'h2', state: 2 });
    assert.deepStrictEqual(reports.map(({ code, seq }) => ({ code, seq })), [{ code: 'STORE_SNAPSHOT_REJECTED', seq: 4 }]);
    assert.deepStrictEqual(await log.snapshotAtOrBefore(5, 'p2'), { seq: 4, hash: 'h4', state: 4 });
  });

  test('snapshotsAtOrBefore yields the usable snapshots newest first, as far as they are taken', async (context: Context) => {
    const reports: StoreReport[] = [];
    const log = await open(context, { onReport: (report) => reports.push(report) });
    await log.append(addedRange(1, 6));
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: 2 });
    await log.putSnapshot(3, { projectorVersion: 'p2', hash: 'h3', state: 3 });
    await log.putSnapshot(5, { projectorVersion: 'p1', hash: 'h5', state: 5 });
    await log.putSnapshot(6, { projectorVersion: 'p1', hash: 'h6', state: 6 });
    assert.deepStrictEqual(await collect(log.snapshotsAtOrBefore(5, 'p1')), [{ seq: 5, hash: 'h5', state: 5 }, { seq: 2, hash: 'h2', state: 2 }]);
    assert.deepStrictEqual(reports.map(({ code, seq }) => ({ code, seq })), [{ code: 'STORE_SNAPSHOT_REJECTED', seq: 3 }]);
    assert.deepStrictEqual(await collect(log.snapshotsAtOrBefore(99, 'p1')), [6, 5, 2].map((seq) => ({ seq, hash: `h${seq}`, state: seq })));
    assert.deepStrictEqual(await collect(log.snapshotsAtOrBefore(1, 'p1')), []);
    for await (const first of log.snapshotsAtOrBefore(6, 'p1')) {
      assert.strictEqual(first.seq, 6);
      break;
    }
    // Stopped at the first, the log is left as it was: closing does not wait on a read.
    await log.close();
  });

  test('listSnapshots lists every snapshot, oldest first', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 5));
    await log.putSnapshot(4, { projectorVersion: 'p2', hash: 'h4', state: {} });
    await log.putSnapshot(2, { projectorVersion: 'p1', hash: 'h2', state: {} });
    assert.deepStrictEqual(await log.listSnapshots(), [
      { seq: 2, projectorVersion: 'p1', hash: 'h2', checksummed: true },
      { seq: 4, projectorVersion: 'p2', hash: 'h4', checksummed: true },
    ]);
  });

  test('a snapshot outside 1..lastSeq is rejected', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 2));
    const snapshot = { projectorVersion: 'p1', hash: 'h', state: {} };
    assert.strictEqual((await failure(log.putSnapshot(3, snapshot))).code, 'STORE_SNAPSHOT_REJECTED');
    assert.strictEqual((await failure(log.putSnapshot(0, snapshot))).code, 'STORE_SNAPSHOT_REJECTED');
    assert.deepStrictEqual(await log.listSnapshots(), []);
  });

  const bytes = (...values: number[]) => Uint8Array.from(values);
  const blocksOf = (blocks: { seq: number; value: Uint8Array }[]) => blocks.map(({ seq, value }) => [seq, [...value]]);

  test('derived index blocks read back by group and seq range, and the index covers what was put', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 6));
    if (!log.capabilities.derivedIndexes) {
      assert.strictEqual(await log.indexedThrough('links/p1'), 0);
      assert.strictEqual((await failure(log.putIndexBlocks('links/p1', 1, 3, [{ group: 'a', seq: 1, value: bytes(1) }]))).code, 'STORE_INDEX_REJECTED');
      assert.deepStrictEqual(await log.indexBlocks('links/p1', 'a'), []);
      assert.deepStrictEqual(await log.indexGroups('links/p1'), []);
      return;
    }
    assert.strictEqual(await log.indexedThrough('links/p1'), 0);
    assert.deepStrictEqual(await log.indexGroups('links/p1'), []);
    await log.putIndexBlocks('links/p1', 1, 3, [{ group: 'a', seq: 1, value: bytes(1) }, { group: 'b', seq: 2, value: bytes(2) }, { group: 'a', seq: 3, value: bytes(3) }]);
    await log.putIndexBlocks('links/p1', 4, 6, [{ group: 'a', seq: 5, value: bytes(5) }]);
    assert.strictEqual(await log.indexedThrough('links/p1'), 6);
    assert.strictEqual(await log.indexedThrough('links/p2'), 0, 'indexes are kept apart by name');
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1', 'a')), [[1, [1]], [3, [3]], [5, [5]]]);
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1', 'a', { from: 2, to: 4 })), [[3, [3]]]);
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1', 'b')), [[2, [2]]]);
    assert.deepStrictEqual(await log.indexBlocks('links/p1', 'c'), []);
    assert.deepStrictEqual(await log.indexBlocks('links/p2', 'a'), []);
    assert.deepStrictEqual(await log.indexGroups('links/p1'), ['a', 'b'], 'each group that holds a block, once');
    assert.deepStrictEqual(await log.indexGroups('links/p2'), []);
    await log.append(addedRange(7, 1));
    await log.putIndexBlocks('links/p1', 7, 7, [{ group: 'a', seq: 5, value: bytes(5, 7) }]);
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1', 'a')), [[1, [1]], [3, [3]], [5, [5, 7]]], 'a block written again is replaced');
  });

  test('a dropped derived index is gone whole, others stay, and it can be built again from seq 1', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 4));
    if (!log.capabilities.derivedIndexes) {
      await log.dropIndex('links/p1'); // there is none
      assert.strictEqual(await log.indexedThrough('links/p1'), 0);
      return;
    }
    await log.putIndexBlocks('links/p1', 1, 2, [{ group: 'a', seq: 1, value: bytes(1) }, { group: 'b', seq: 2, value: bytes(2) }]);
    await log.putIndexBlocks('links/p1', 3, 4, [{ group: 'a', seq: 3, value: bytes(3) }]);
    await log.putIndexBlocks('links/p1x', 1, 4, [{ group: 'a', seq: 1, value: bytes(9) }]);
    await log.dropIndex('links/p1');
    assert.strictEqual(await log.indexedThrough('links/p1'), 0);
    assert.deepStrictEqual(await log.indexBlocks('links/p1', 'a'), []);
    assert.deepStrictEqual(await log.indexBlocks('links/p1', 'b'), []);
    assert.deepStrictEqual(await log.indexGroups('links/p1'), []);
    assert.strictEqual(await log.indexedThrough('links/p1x'), 4, 'an index whose name starts the same is another index');
    assert.deepStrictEqual(await log.indexGroups('links/p1x'), ['a']);
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1x', 'a')), [[1, [9]]]);
    assert.strictEqual(log.lastSeq, 4, 'the events are untouched');
    assert.strictEqual((await failure(log.putIndexBlocks('links/p1', 3, 4, [{ group: 'a', seq: 3, value: bytes(3) }]))).code, 'STORE_INDEX_REJECTED', 'the next blocks start at seq 1');
    await log.putIndexBlocks('links/p1', 1, 4, [{ group: 'a', seq: 2, value: bytes(2, 2) }]);
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1', 'a')), [[2, [2, 2]]], 'built again, without the old blocks');
  });

  test('derived index blocks that do not continue the index, or reach past the log, are rejected whole', async (context: Context) => {
    const log = await open(context);
    if (!log.capabilities.derivedIndexes) return;
    await log.append(addedRange(1, 4));
    await log.putIndexBlocks('links/p1', 1, 2, [{ group: 'a', seq: 1, value: bytes(1) }]);
    for (const put of [
      () => log.putIndexBlocks('links/p1', 2, 3, [{ group: 'a', seq: 3, value: bytes(9) }]), // overlaps
      () => log.putIndexBlocks('links/p1', 4, 4, [{ group: 'a', seq: 4, value: bytes(9) }]), // leaves a gap
      () => log.putIndexBlocks('links/p1', 3, 5, [{ group: 'a', seq: 3, value: bytes(9) }]), // past the last seq
      () => log.putIndexBlocks('links/p1', 3, 3, [{ group: 'a', seq: 3, value: bytes(9) }, { group: 'a', seq: 4, value: bytes(9) }]), // a block past the end
      () => log.putIndexBlocks('links/p1', 3, 4, [{ group: 'a\0b', seq: 3, value: bytes(9) }]),
    ]) assert.strictEqual((await failure(put())).code, 'STORE_INDEX_REJECTED', String(put));
    assert.strictEqual(await log.indexedThrough('links/p1'), 2);
    assert.deepStrictEqual(blocksOf(await log.indexBlocks('links/p1', 'a')), [[1, [1]]]);
  });

  test('every operation after close fails with STORE_NOT_OPEN', async (context: Context) => {
    const log = await open(context);
    await log.append(addedRange(1, 2));
    await log.close();
    assert.strictEqual(log.status, 'closed');
    const snapshot = { projectorVersion: 'p1', hash: 'h', state: {} };
    for (const action of [
      () => log.append(addedRange(3, 1)),
      () => collect(log.read()),
      () => log.get(1),
      () => log.seqAt(iso(T0)),
      () => firstValueFrom(log.tail()),
      () => log.putSnapshot(1, snapshot),
      () => log.snapshotAtOrBefore(2, 'p1'),
      () => collect(log.snapshotsAtOrBefore(2, 'p1')),
      () => log.listSnapshots(),
    ]) {
      assert.strictEqual((await failure(action)).code, 'STORE_NOT_OPEN', String(action));
    }
  });

  test('close is idempotent and waits for queued appends', async (context: Context) => {
    const log = await open(context);
    const appending = log.append(addedRange(1, 3));
    await Promise.all([log.close(), log.close()]);
    assert.deepStrictEqual(await appending, [1, 2, 3]);
    await log.close();
    assert.strictEqual(log.status, 'closed');
    const again = await open(context);
    assert.strictEqual(again.lastSeq, 3);
  });

  test('a reopened log keeps its events and continues their seqs', async (context: Context) => {
    const first = await open(context, { now: () => T0 });
    await first.append(addedRange(1, 3));
    await first.close();
    const second = await open(context, { now: () => T0 - 60_000 });
    assert.strictEqual(second.lastSeq, 3);
    assert.deepStrictEqual(await second.append(addedRange(4, 1)), [4]);
    assert.deepStrictEqual(names(await collect(second.read())), ['we-1', 'we-2', 'we-3', 'we-4']);
    assert.strictEqual((await second.get(4))!.time, iso(T0), 'the time floor survives the reopen');
  });

  return cases;
}
