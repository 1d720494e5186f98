import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMeshfoldError, Projector } from '@meshfold/core';
import { watchStream } from '@meshfold/testing';
import { EventLog, loadState, ProjectedLog, replayOnto } from '../src/index.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 5;

test('state loaded from the log at any seq, with or without snapshots, equals the live incremental state there', async () => {
  await fc.assert(fc.asyncProperty(
    watchStream(30), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }),
    async (events, snapshotEvery, batchSize) => {
      // The live fold, kept beside the log: its hash after each accepted event, by seq.
      const live = new Projector();
      const hashes = [live.hash()];
      for (const event of events) {
        try {
          live.apply(event);
          hashes.push(live.hash());
        } catch (err) {
          if (!isMeshfoldError(err)) throw err;
        }
      }
      const log = await EventLog.openMemory();
      try {
        const projected = await ProjectedLog.open(log, { snapshotEvery });
        for (let i = 0; i < events.length; i += batchSize) await projected.record(events.slice(i, i + batchSize));
        assert.is(log.lastSeq, hashes.length - 1, 'only valid events reach the log');
        assert.is(projected.projector.hash(), live.hash());
        for (let seq = 0; seq <= log.lastSeq; seq++) {
          assert.is((await loadState(log, seq)).hash(), hashes[seq], `with snapshots, at seq ${seq}`);
        }
        const fromScratch = await replayOnto(log, new Projector(), log.lastSeq);
        assert.is(fromScratch.hash(), live.hash(), 'replay from seq 1 without snapshots');
      } finally {
        await log.close();
      }
    },
  ), { numRuns: RUNS });
});


/** Replays `log` with replayOnto and checks it against event-by-event replay: same reports, same state. */
async function assertReplayMatchesEventByEvent(log: EventLog): Promise<void> {
  const one = new Projector();
  const expected: string[] = [];
  for await (const event of log.read()) {
    try {
      const { notice } = one.replay(event, event.seq);
      if (notice) expected.push(`${event.seq} ${notice.code}`);
    } catch (err) {
      if (!isMeshfoldError(err)) throw err;
      one.skip(event.seq);
      expected.push(`${event.seq} ${err.code}`);
    }
  }
  const reported: string[] = [];
  const bulk = await replayOnto(log, new Projector(), log.lastSeq, { onReport: (r) => reported.push(`${r.seq} ${r.code}`) });
  assert.equal(reported, expected);
  assert.is(bulk.hash(), one.hash());
  assert.is(bulk.seq, log.lastSeq);
}

test('replay of a log mixing checked and raw appends (invalid events too) reports and reaches what event-by-event replay does', async () => {
  await fc.assert(fc.asyncProperty(watchStream(30), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), async (events, viaProjected) => {
    const log = await EventLog.openMemory();
    try {
      for (const [i, event] of events.entries()) {
        // A raw append checks nothing, so invalid events reach the log; the recorder's only valid ones.
        if (viaProjected[i]) await (await ProjectedLog.open(log, { snapshotEvery: 1_000_000 })).record([event]);
        else await log.append([event]);
      }
      await assertReplayMatchesEventByEvent(log);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('a long replay (past 20 000 events, where objects are held by seq and read again) reports and reaches what event-by-event replay does', async () => {
  const events = fc.sample(watchStream(40), { numRuns: 5000, seed: 25678 }).flat();
  const log = await EventLog.openMemory();
  try {
    const projected = await ProjectedLog.open(log, { snapshotEvery: 1_000_000 });
    for (let i = 0; i < events.length && log.lastSeq <= 21_000; i += 500) {
      // Alternate raw appends (invalid events reach the log) and checked ones.
      if ((i / 500) % 2 === 0) await log.append(events.slice(i, i + 500));
      else await projected.record(events.slice(i, i + 500));
    }
    assert.ok(log.lastSeq > 20_000, `only ${log.lastSeq} events`);
    await assertReplayMatchesEventByEvent(log);
  } finally {
    await log.close();
  }
});

test.run();
