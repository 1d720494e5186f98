import type { LoggedEvent } from '@meshfold/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventLog, EventLogOptions, StoreReport } from '../src/index.js';
import { keyspaces, type Keyspaces, type LevelDatabase } from '../src/keyspaces.js';
import { FORMAT_KEY } from '../src/recoverMeta.js';
import { seqKey } from '../src/seqKey.js';
import { addedRange, collect, failure } from './support/watchEvents.js';

/** A LevelDB backend's data, with the bare database under its logs to tamper with. */
export interface LevelFixture {
  /** A new log over this fixture's data, opened. */
  open(options?: EventLogOptions): Promise<EventLog>;
  /** The bare database under the logs, to tamper with while no log holds it open. */
  raw(): LevelDatabase;
  /** Removes the data; called after each test. */
  dispose(): Promise<void>;
}

interface Context {
  fixture: LevelFixture;
  logs: EventLog[];
}

const seqs = (events: LoggedEvent[]) => events.map((event) => event.seq);
const names = (events: LoggedEvent[]) => events.map((event) => event.object.metadata.name);

/**
 * What only a LevelDB log (on disk or memory-level) can be put through: its keyspaces edited under
 * it. The behaviour every backend shares is the exported conformance suite (`@meshfold/store/testing`).
 */
export function levelTamperSuite(name: string, backend: () => Promise<LevelFixture>): void {
  const test = suite<Context>(name, { fixture: undefined as unknown as LevelFixture, logs: [] });

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
