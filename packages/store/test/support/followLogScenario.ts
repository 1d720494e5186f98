import { project, type ProjectionStep, type WatchEvent } from '@meshfold/core';
import { firstValueFrom, takeWhile, timeout, toArray } from 'rxjs';
import * as assert from 'uvu/assert';
import { followLog, loadState, ProjectedLog, type EventLog } from '../../src/index.js';
import { addedRange } from './watchEvents.js';

const SERVICE_ENTRY: WatchEvent = {
  type: 'ADDED',
  object: {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'orders', namespace: 'shop' },
    spec: { hosts: ['orders.shop.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'orders' } } },
  },
};

/**
 * A writer records 25 events with a snapshot every 10; two services, each on the log `openLog`
 * gives it, load their state (the snapshot at 20 plus 5 events), follow from seq 26 into
 * `project()`, and must end with the writer's state hash once it has recorded 40.
 */
export async function twoFollowersResumeFromASnapshot(writerLog: EventLog, openLog: () => Promise<EventLog>): Promise<void> {
  const writer = await ProjectedLog.open(writerLog, { snapshotEvery: 10 });
  for (let first = 1; first <= 25; first += 5) await writer.record(addedRange(first, 5));
  const followers = await Promise.all([openLog(), openLog()].map(async (opening) => {
    const log = await opening;
    let replayed = 0;
    const projector = await loadState(log, log.lastSeq, { onProgress: (done) => { replayed = done; } });
    // The ServiceEntry at 26 selects every WorkloadEntry, and each one after it moves an endpoint: one step per event.
    const steps = firstValueFrom(followLog(log, { from: projector.seq + 1 }).pipe(
      project({ from: () => projector }), takeWhile((step: ProjectionStep) => step.seq < 40, true), timeout({ each: 10_000 }), toArray(),
    ));
    return { projector, replayed, steps };
  }));
  await writer.record([SERVICE_ENTRY]);
  for (let first = 27; first <= 40; first += 7) await writer.record(addedRange(first, 7));
  for (const follower of followers) {
    assert.is(follower.replayed, 5, 'loaded from the snapshot at seq 20, not replayed from seq 1');
    assert.equal((await follower.steps).map((step) => step.seq), Array.from({ length: 15 }, (_, i) => 26 + i));
    assert.is(follower.projector.seq, 40);
    assert.is(follower.projector.hash(), writer.projector.hash());
  }
}
