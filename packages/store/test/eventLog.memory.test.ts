import { MemoryLevel } from 'memory-level';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog, LevelEventLog } from '../src/index.js';
import { conformanceSuite } from './support/conformance.js';
import { levelTamperSuite } from './levelTamperSuite.js';
import { addedRange } from './support/watchEvents.js';

/** One database instance is the data: every log of the fixture opens that same instance. */
const memoryFixture = async () => {
  const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
  return {
    open: async (options?: object) => {
      const log = new LevelEventLog(db, { name: 'memory log', ...options });
      await log.open();
      return log;
    },
    raw: () => db,
    dispose: () => db.close(),
  };
};

conformanceSuite('EventLog conformance on memory-level', memoryFixture);
levelTamperSuite('LevelEventLog on memory-level, tampered with', memoryFixture);

test('openMemory gives independent, open logs', async () => {
  const one = await EventLog.openMemory();
  const two = await EventLog.openMemory();
  assert.is(one.status, 'open');
  assert.equal(one.capabilities, { backend: 'memory', durable: false, sharedReaders: false, derivedIndexes: true, localReads: true });
  await one.append(addedRange(1, 2));
  assert.is(one.lastSeq, 2);
  assert.is(two.lastSeq, 0);
  await Promise.all([one.close(), two.close()]);
});


test('a database with other default encodings is refused: appends write binary keys straight to it', () => {
  const db = new MemoryLevel<string, string>({ keyEncoding: 'utf8', valueEncoding: 'json' });
  assert.throws(() => new LevelEventLog(db), (err: unknown) => (err as { code?: string }).code === 'STORE_UNKNOWN_FORMAT');
});

test.run();
