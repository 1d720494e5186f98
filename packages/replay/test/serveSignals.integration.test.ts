// `meshfold serve` as users start it, through the bin: it runs with serve's young generation, and
// a Ctrl-C to its process group (which reaches it directly and relayed) stops it cleanly.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SERVING_HEAP } from '../src/serve/servingHeap.js';
import { DEMO_STREAM, MESHFOLD_BIN, runCli, tempDir } from './support/cli.js';

async function servedLog(): Promise<{ log: string; remove: () => Promise<void> }> {
  const dir = await tempDir('meshfold-serve-');
  const log = dir.join('log');
  const recorded = await runCli(['record', '--log', log, DEMO_STREAM]);
  assert.is(recorded.code, 0, recorded.stderr);
  return { log, remove: () => dir.remove() };
}

/** The bin serving `log` on a free port, in a process group of its own; resolves once it serves. */
async function startServe(log: string) {
  const parent = spawn(process.execPath, [MESHFOLD_BIN, 'serve', '--log', log, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  parent.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  const closed = once(parent, 'close') as Promise<[number | null, string | null]>;
  for (let waited = 0; !/meshfold inspector at (\S+?);/.test(stdout); waited += 20) {
    assert.ok(waited < 20_000, `serve printed its address (stdout: ${stdout})`);
    await sleep(20);
  }
  return { parent, closed, url: /meshfold inspector at (\S+?);/.exec(stdout)![1]! };
}

test('serve runs with serve\'s young generation, answers, and one Ctrl-C to its process group stops it with status 0', async () => {
  const { log, remove } = await servedLog();
  try {
    const { parent, closed, url } = await startServe(log);
    const children = execFileSync('pgrep', ['-P', String(parent.pid)]).toString().trim().split('\n').filter(Boolean);
    assert.is(children.length, 1, 'the bin respawned one child to serve');
    const argv = readFileSync(`/proc/${children[0]}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes(`--max-semi-space-size=${SERVING_HEAP.semiSpaceMb}`), `the child's flags: ${argv.join(' ')}`);
    const answer = await fetch(new URL('api/endpoints', url.endsWith('/') ? url : `${url}/`));
    assert.is(answer.status, 200);
    process.kill(-parent.pid!, 'SIGINT');
    const [code, signal] = await closed;
    assert.equal([code, signal], [0, null], 'stopped as on one Ctrl-C, not killed by a second one');
    // The log is free again: nothing of serve is left holding its lock.
    const after = await runCli(['verify', '--log', log]);
    assert.is(after.code, 0, after.stderr);
  } finally {
    await remove();
  }
});

test('serve respawned by the bin stops with status 0 on a SIGTERM to the bin alone (relayed)', async () => {
  const { log, remove } = await servedLog();
  try {
    const { parent, closed } = await startServe(log);
    parent.kill('SIGTERM');
    const [code, signal] = await closed;
    assert.equal([code, signal], [0, null]);
  } finally {
    await remove();
  }
});

test('serve whose bin is killed with SIGKILL does not outlive it: the respawned server stops and releases the log', async () => {
  const { log, remove } = await servedLog();
  let child = '';
  try {
    const { parent, url } = await startServe(log);
    child = execFileSync('pgrep', ['-P', String(parent.pid)]).toString().trim();
    const exited = once(parent, 'exit'); // not 'close': the server shares its stdout
    parent.kill('SIGKILL');
    await exited;
    for (let waited = 0; ; waited += 100) {
      let alive = true;
      try {
        process.kill(Number(child), 0);
      } catch {
        alive = false;
      }
      if (!alive) break;
      assert.ok(waited < 20_000, `the server (pid ${child}) still runs 20 s after its parent died`);
      await sleep(100);
    }
    await fetch(url).then(() => assert.unreachable('nothing answers on the port any more'), () => {});
    const after = await runCli(['verify', '--log', log]);
    assert.is(after.code, 0, after.stderr);
  } finally {
    // A server left running would hold this test's pipes open, and the test run with them.
    try {
      if (child) process.kill(Number(child), 'SIGKILL');
    } catch {
      // gone, as it should be
    }
    await remove();
  }
});

test.run();
