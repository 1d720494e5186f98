import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { spawnFixture } from './support/fixtureProcess.js';
import { tempDir } from './support/tempDir.js';
import { collect, failure } from './support/watchEvents.js';

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

/** A writer in its own process (LevelDB's lock is per process), appending when asked. */
function writer(dir: string, tag: string) {
  const fixture = spawnFixture('appendOnRequest.js', [dir, tag]);
  return {
    fixture,
    opened: fixture.lineMatching((line) => line === 'open'),
    async append(count: number): Promise<string> {
      const answer = fixture.lineMatching((line) => /^(ack|error) /.test(line));
      fixture.child.stdin!.write(`append ${count}\n`);
      return answer;
    },
  };
}

test('after LOCK is deleted under a writer, a second writer can open the log, and the first one writes nothing more: STORE_LOG_IN_USE', async () => {
  const dir = await tempDir();
  const first = writer(dir.path, 'first');
  let second: EventLog | undefined;
  try {
    await first.opened;
    assert.is(await first.append(2), 'ack 2');
    rmSync(join(dir.path, 'LOCK'));
    // LevelDB's lock is on the deleted file's inode, so nothing stops this open.
    second = await EventLog.openDir(dir.path);
    assert.equal(await second.append([{ type: 'ADDED', object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'second-3', namespace: 'shop' }, spec: { address: '10.0.0.3' } } }]), [3]);
    assert.is(await first.append(3), 'error STORE_LOG_IN_USE');
    await second.close();
    second = await EventLog.openDir(dir.path, { readOnly: true });
    assert.equal((await collect(second.read())).map((event) => event.object.metadata.name), ['first-1', 'first-2', 'second-3']);
  } finally {
    await second?.close();
    first.fixture.child.kill('SIGKILL');
    await first.fixture.closed;
    await dir.remove();
  }
});

test('a writer whose LOCK was deleted refuses to append even before anyone else opens the log', async () => {
  const dir = await tempDir();
  const only = writer(dir.path, 'only');
  try {
    await only.opened;
    assert.is(await only.append(1), 'ack 1');
    rmSync(join(dir.path, 'LOCK'));
    assert.is(await only.append(1), 'error STORE_LOG_IN_USE');
  } finally {
    only.fixture.child.kill('SIGKILL');
    await only.fixture.closed;
    await dir.remove();
  }
});

test.run();
