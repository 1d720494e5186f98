import { Level } from 'level';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { backendSuite } from './backendSuite.js';
import { tempDir } from './support/tempDir.js';
import { addedRange, collect, failure } from './support/watchEvents.js';

backendSuite('EventLog on classic-level (disk)', async () => {
  const dir = await tempDir();
  return {
    open: (options) => EventLog.openDir(dir.path, options),
    raw: () => new Level<Uint8Array, Uint8Array>(dir.path, { keyEncoding: 'view', valueEncoding: 'view' }),
    dispose: dir.remove,
  };
});

test('a log reopened by a new EventLog.openDir keeps its events', async () => {
  const dir = await tempDir();
  try {
    const first = await EventLog.openDir(dir.path);
    await first.append(addedRange(1, 3));
    await first.close();
    const second = await EventLog.openDir(dir.path);
    assert.is(second.lastSeq, 3);
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

test('openDir without createIfMissing fails with STORE_IO on a missing directory', async () => {
  const dir = await tempDir();
  try {
    const err = await failure(EventLog.openDir(join(dir.path, 'missing'), { createIfMissing: false }));
    assert.is(err.code, 'STORE_IO');
    assert.match(err.message, 'does not exist');
  } finally {
    await dir.remove();
  }
});

test.run();
