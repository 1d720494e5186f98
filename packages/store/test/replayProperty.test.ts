import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMeshfoldError, Projector } from '@meshfold/core';
import { watchStream } from '@meshfold/core/testing';
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

test.run();
