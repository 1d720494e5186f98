import type { LoggedEvent } from '@meshfold/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { canonicalHash } from './support/canonicalHash.js';
import { batchProblems } from './support/crashBatches.js';
import { spawnFixture } from './support/fixtureProcess.js';
import { tempDir } from './support/tempDir.js';
import { collect } from './support/watchEvents.js';

const ROUNDS = 20;
const PAUSE_MS = '1';

/** Runs crashWriter on `dir` and SIGKILLs it 20–200 ms after its first ack; returns the last ack seen. */
async function killedWriter(dir: string): Promise<number> {
  const writer = spawnFixture('crashWriter.js', [dir, PAUSE_MS]);
  await writer.lineMatching((line) => line.startsWith('ack '));
  await sleep(20 + Math.random() * 180);
  writer.child.kill('SIGKILL');
  await writer.closed;
  assert.is(writer.child.signalCode, 'SIGKILL', 'the writer was still running when killed');
  return Math.max(...writer.lines.filter((line) => line.startsWith('ack ')).map((line) => Number(line.slice(4))));
}

async function readAll(dir: string): Promise<{ lastSeq: number; events: LoggedEvent[]; hashes: string[] }> {
  const log = await EventLog.openDir(dir);
  try {
    const events = (await collect(log.readBatches())).flat();
    const again = (await collect(log.readBatches())).flat();
    return { lastSeq: log.lastSeq, events, hashes: [canonicalHash(events), canonicalHash(again)] };
  } finally {
    await log.close();
  }
}

test(`a writer killed ${ROUNDS} times leaves a log that opens, keeps every ack and holds no partial batch`, async () => {
  const dir = await tempDir();
  try {
    let previousLastSeq = 0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const lastAck = await killedWriter(dir.path);
      const { lastSeq, events, hashes } = await readAll(dir.path);
      assert.ok(lastSeq >= lastAck, `round ${round}: lastSeq ${lastSeq} covers the last ack ${lastAck}`);
      assert.ok(lastSeq > previousLastSeq, `round ${round}: the log grew past ${previousLastSeq}`);
      assert.is(events.length, lastSeq, `round ${round}: every seq 1..${lastSeq} reads back`);
      assert.equal(batchProblems(events), [], `round ${round}: no partial batch`);
      assert.is(hashes[0], hashes[1], `round ${round}: two reads hash the same`);
      previousLastSeq = lastSeq;
    }
  } finally {
    await dir.remove();
  }
});

test.run();
