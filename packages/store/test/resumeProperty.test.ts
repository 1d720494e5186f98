import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { project, Projector } from '@meshfold/core';
import { watchStream } from '@meshfold/testing';
import { EventLog, loadState, ProjectedLog } from '../src/index.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 5;

test('a stream cut anywhere, recorded up to the cut and followed from the loaded state, equals one uninterrupted run', async () => {
  await fc.assert(fc.asyncProperty(watchStream(30), fc.nat(), fc.integer({ min: 1, max: 7 }), async (events, at, snapshotEvery) => {
    const cut = at % (events.length + 1);
    const uninterrupted = new Projector();
    const whole = await lastValueFrom(from(events).pipe(project({ from: () => uninterrupted, onRejected: () => {} }), toArray()));

    const log = await EventLog.openMemory();
    try {
      await (await ProjectedLog.open(log, { snapshotEvery })).record(events.slice(0, cut));
      const loaded = await loadState(log, log.lastSeq);
      const resumed = await lastValueFrom(from(events.slice(cut)).pipe(project({ from: () => loaded, onRejected: () => {} }), toArray()));

      const afterCut = whole.filter((step) => step.seq > log.lastSeq);
      assert.equal(resumed.map((s) => [s.seq, s.deltas]), afterCut.map((s) => [s.seq, s.deltas]), 'the deltas after the cut');
      assert.is(loaded.hash(), uninterrupted.hash());
      assert.is(loaded.seq, uninterrupted.seq);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test.run();
