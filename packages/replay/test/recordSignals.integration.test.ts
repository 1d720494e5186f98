// `meshfold record` stopped by a signal while a slow writer feeds it: every event it had read is
// in the log. "Had read" is what the recorder reports with --verbose (`read ADDED Kind/ns/name`,
// printed as each event is taken from the input, before it is appended); the writer writes
// WorkloadEntries w1, w2, … so the log must hold exactly w1..wN for the N events reported read.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggedEvent } from '@meshfold/core';
import { EventLog } from '@meshfold/store';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MESHFOLD_BIN, recordSummary, tempDir } from './support/cli.js';

/** MESHFOLD_KILL_ROUNDS overrides it (e.g. 200 for a longer soak). */
const ROUNDS = Number(process.env.MESHFOLD_KILL_ROUNDS ?? 20);
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function workloadEntry(i: number) {
  return {
    type: 'ADDED',
    object: {
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: { name: `w${i}`, namespace: 'shop', resourceVersion: String(1000 + i) },
      spec: { address: `10.0.${i >> 8}.${i & 255}`, labels: { app: 'payments' } },
    },
  };
}

interface Round { signal: NodeJS.Signals; read: string[]; held: number; logged: string[]; code: number | null; killedBy: string | null; stdout: string }

/**
 * Starts a recorder on stdin, writes events to it at a random pace (gaps of 0–60 ms: most shorter
 * than the recorder's 50 ms idle flush, so events are often still held when the signal comes),
 * and sends `signal` at a random moment after the first event was read: to the process started,
 * or to its whole process group, as a terminal's Ctrl-C or a service manager does (`to: 'group'`).
 */
async function killedRecorder(log: string, signal: NodeJS.Signals, to: 'process' | 'group' = 'process'): Promise<Round> {
  const child = spawn(process.execPath, [MESHFOLD_BIN, 'record', '--log', log, '--verbose', '-'], { stdio: ['pipe', 'pipe', 'pipe'], detached: to === 'group' });
  let stdout = '';
  let stderr = '';
  let firstRead: () => void;
  const readOne = new Promise<void>((resolve) => { firstRead = resolve; });
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); if (stderr.includes('\nread ') || stderr.startsWith('read ')) firstRead(); });
  child.stdin.on('error', () => {}); // the recorder closes its end when it stops
  const closed = once(child, 'close');
  let open = true;
  void closed.then(() => { open = false; });
  const writer = (async () => {
    for (let i = 1; open && i < 100_000; i++) {
      child.stdin.write(`${JSON.stringify(workloadEntry(i), null, 4)}\n`);
      await sleep(Math.random() * 60);
    }
  })();
  await Promise.race([readOne, closed]);
  await sleep(Math.random() * 250);
  if (to === 'group') process.kill(-child.pid!, signal);
  else child.kill(signal);
  const [code, killedBy] = await closed as [number | null, string | null];
  await writer;
  const lines = stderr.split('\n');
  const read = lines.filter((l) => l.startsWith('read ')).map((l) => /WorkloadEntry\/shop\/(w\d+)/.exec(l)![1]!);
  const heldLine = lines.find((l) => l.startsWith(`stopping on ${signal}`));
  const held = heldLine ? Number(/the (\d+) event/.exec(heldLine)![1]) : -1;
  const logged = await namesIn(log);
  return { signal, read, held, logged, code, killedBy, stdout };
}

async function namesIn(dir: string): Promise<string[]> {
  const log = await EventLog.openDir(dir);
  try {
    const names: string[] = [];
    for await (const e of log.read() as AsyncIterable<LoggedEvent>) names.push(e.object.metadata.name!);
    return names;
  } finally {
    await log.close();
  }
}

test(`record stopped by SIGINT, SIGTERM or SIGHUP (to it or to its process group) at ${ROUNDS} random moments keeps every event it had read, prints its summary and exits 0`, async () => {
  const dir = await tempDir('meshfold-signals-');
  let roundsWithHeldEvents = 0;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const to = round % 2 === 0 ? 'group' : 'process';
      const r = await killedRecorder(dir.join(`log-${round}`), SIGNALS[round % SIGNALS.length]!, to);
      const what = `round ${round} (${r.signal} to the ${to})`;
      assert.is(r.killedBy, null, `${what}: the recorder exited by itself, not by the signal`);
      assert.is(r.code, 0, `${what}: exit status`);
      assert.ok(r.read.length > 0, `${what}: the recorder read something before the signal`);
      assert.equal(r.read, r.read.map((_, i) => `w${i + 1}`), `${what}: events were read in the order written`);
      assert.equal(r.logged, r.read, `${what}: the log holds exactly the ${r.read.length} events read`);
      assert.equal(recordSummary(r.stdout), { count: r.read.length, first: 1, last: r.read.length, rejected: 0 }, what);
      assert.ok(r.held >= 0, `${what}: the recorder said what it was still holding when stopped`);
      if (r.held > 0) roundsWithHeldEvents++;
    }
    // The case that lost events before: a signal arriving while read events wait for a flush.
    assert.ok(roundsWithHeldEvents > 0, `in some round events were still held when the signal came (${roundsWithHeldEvents} of ${ROUNDS})`);
  } finally {
    await dir.remove();
  }
});

test('record whose process is killed with SIGKILL does not leave its respawned recorder running: that one appends what it read and releases the log', async () => {
  const dir = await tempDir('meshfold-orphan-');
  const log = dir.join('log');
  // A named pipe, as `kubectl get -w | meshfold record` gives a pipe: it stays open while the
  // writer lives, so only the end of the recorder's parent can stop the recorder.
  const fifo = dir.join('events');
  execFileSync('mkfifo', [fifo]);
  // The CLI respawns itself for a recording (RECORDING_HEAP): the process spawned here is that
  // parent, and a SIGKILL cannot be relayed to the recorder.
  const parent = spawn(process.execPath, [MESHFOLD_BIN, 'record', '--log', log, '--verbose', fifo], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  parent.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  const writer = await open(fifo, 'w'); // once the recorder opened it for reading
  try {
    for (let i = 1; i <= 3; i++) await writer.write(`${JSON.stringify(workloadEntry(i), null, 4)}\n`);
    for (let waited = 0; (stderr.match(/^read /gm) ?? []).length < 3; waited += 20) {
      assert.ok(waited < 20_000, `the recorder read the 3 events (stderr: ${stderr})`);
      await sleep(20);
    }
    const exited = once(parent, 'exit'); // not 'close': the recorder shares its stderr
    parent.kill('SIGKILL');
    await exited;
    let logged: string[] | undefined;
    for (let waited = 0; logged === undefined; waited += 100) {
      try {
        logged = await namesIn(log); // opens once the recorder let go of the log's lock
      } catch (err) {
        assert.ok(waited < 20_000, `the recorder still holds the log 20 s after its parent died (${(err as Error).message})`);
        await sleep(100);
      }
    }
    assert.equal(logged, ['w1', 'w2', 'w3'], 'the events read before the parent died are in the log');
    assert.match(stderr, 'the process that started this one is gone: stopping as on SIGHUP');
  } finally {
    await writer.close(); // the end of its input stops a recorder left running
    await dir.remove();
  }
});

test.run();
