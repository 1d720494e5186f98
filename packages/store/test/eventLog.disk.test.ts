import { Level } from 'level';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { conformanceSuite } from './support/conformance.js';
import { levelTamperSuite } from './levelTamperSuite.js';
import { tempDir } from './support/tempDir.js';
import { addedRange, collect, failure } from './support/watchEvents.js';

const diskFixture = async () => {
  const dir = await tempDir();
  return {
    open: (options?: object) => EventLog.openDir(dir.path, options),
    raw: () => new Level<Uint8Array, Uint8Array>(dir.path, { keyEncoding: 'view', valueEncoding: 'view' }),
    dispose: dir.remove,
  };
};

conformanceSuite('EventLog conformance on classic-level (disk)', diskFixture);
levelTamperSuite('LevelEventLog on classic-level (disk), tampered with', diskFixture);

test('a log reopened by a new EventLog.openDir keeps its events', async () => {
  const dir = await tempDir();
  try {
    const first = await EventLog.openDir(dir.path);
    await first.append(addedRange(1, 3));
    await first.close();
    const second = await EventLog.openDir(dir.path);
    assert.is(second.lastSeq, 3);
    assert.equal(second.capabilities, { backend: 'leveldb', durable: true, sharedReaders: false, derivedIndexes: true, localReads: true });
    assert.equal((await collect(second.read())).map((event) => event.object.metadata.name), ['we-1', 'we-2', 'we-3']);
    await second.close();
  } finally {
    await dir.remove();
  }
});

test('a second open of a log in use fails with STORE_LOG_IN_USE', async () => {
  const dir = await tempDir();
  try {
    const owner = await EventLog.openDir(dir.path);
    const err = await failure(EventLog.openDir(dir.path));
    assert.is(err.code, 'STORE_LOG_IN_USE');
    assert.match(err.message, dir.path);
    await owner.close();
  } finally {
    await dir.remove();
  }
});

test('openDir without createIfMissing is STORE_NOT_FOUND on a missing directory, and creates nothing', async () => {
  const dir = await tempDir();
  try {
    const missing = join(dir.path, 'missing');
    const err = await failure(EventLog.openDir(missing, { createIfMissing: false }));
    assert.is(err.code, 'STORE_NOT_FOUND');
    assert.match(err.message, 'does not exist');
    assert.not.ok(existsSync(missing));
  } finally {
    await dir.remove();
  }
});

test('a read-only open of a directory without a database is STORE_NOT_FOUND and leaves no LevelDB files', async () => {
  const dir = await tempDir();
  try {
    const err = await failure(EventLog.openDir(dir.path, { readOnly: true }));
    assert.is(err.code, 'STORE_NOT_FOUND');
    assert.match(err.message, 'no LevelDB database');
    assert.equal(readdirSync(dir.path), []);
  } finally {
    await dir.remove();
  }
});

test('a read-only log reads what was written and refuses appends and snapshots with STORE_READ_ONLY', async () => {
  const dir = await tempDir();
  try {
    const writer = await EventLog.openDir(dir.path);
    await writer.append([{ type: 'ADDED', object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'a', namespace: 'ns' }, spec: { address: '10.0.0.1' } } }]);
    await writer.close();
    const reader = await EventLog.openDir(dir.path, { readOnly: true });
    try {
      assert.is(reader.lastSeq, 1);
      assert.is((await reader.get(1))?.object.metadata.name, 'a');
      assert.is((await failure(reader.append([]))).code, 'STORE_READ_ONLY');
      assert.is((await failure(reader.putSnapshot(1, { projectorVersion: 'x', hash: 'y', state: {} }))).code, 'STORE_READ_ONLY');
      assert.is(reader.lastSeq, 1);
    } finally {
      await reader.close();
    }
  } finally {
    await dir.remove();
  }
});

test.run();
