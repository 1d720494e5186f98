import { firstValueFrom, take, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog, followLog } from '../src/index.js';
import { twoFollowersResumeFromASnapshot } from './support/followLogScenario.js';
import { addedRange, failure } from './support/watchEvents.js';

test('two services in this process resume from a snapshot and seq, follow appends, and end with the writer\'s state', async () => {
  const log = await EventLog.openMemory();
  try {
    // LevelDB belongs to one process: its followers share the writer's log.
    await twoFollowersResumeFromASnapshot(log, async () => log);
  } finally {
    await log.close();
  }
});

test('followLog starts at `from`, not at seq 1', async () => {
  const log = await EventLog.openMemory();
  try {
    await log.append(addedRange(1, 3));
    const seqs = firstValueFrom(followLog(log, { from: 3 }).pipe(take(2), toArray()));
    await log.append(addedRange(4, 1));
    assert.equal((await seqs).map((event) => event.seq), [3, 4]);
  } finally {
    await log.close();
  }
});

test('followLog refuses a from that is not a seq', async () => {
  const log = await EventLog.openMemory();
  try {
    assert.is((await failure(async () => followLog(log, { from: 0 }))).code, 'INPUT_MALFORMED');
  } finally {
    await log.close();
  }
});

test.run();
