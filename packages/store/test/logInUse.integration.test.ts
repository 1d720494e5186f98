import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { spawnFixture } from './support/fixtureProcess.js';
import { tempDir } from './support/tempDir.js';
import { failure } from './support/watchEvents.js';

test('a log held by another process fails to open with STORE_LOG_IN_USE, and opens once released', async () => {
  const dir = await tempDir();
  const holder = spawnFixture('holdLog.js', [dir.path]);
  try {
    await holder.lineMatching((line) => line === 'open');
    const err = await failure(EventLog.openDir(dir.path));
    assert.is(err.code, 'STORE_LOG_IN_USE');
    assert.match(err.message, 'in use');
    holder.child.stdin!.end();
    await holder.closed;
    assert.is(holder.child.exitCode, 0);
    const log = await EventLog.openDir(dir.path);
    assert.is(log.status, 'open');
    await log.close();
  } finally {
    holder.child.kill('SIGKILL');
    await dir.remove();
  }
});

test.run();
