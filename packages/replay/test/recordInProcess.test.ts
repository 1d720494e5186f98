// `record` driven in-process with an injected log and input, for what a child process cannot
// show cheaply: a write that fails (a full disk) and, later, the clock events are stamped with.
import { setTimeout as sleep } from 'node:timers/promises';
import { isMeshfoldError, objectsOf, Projector, PROJECTOR_VERSION, type LoggedEvent, type ProjectorSnapshot } from '@meshfold/core';
import { EventLog, LevelEventLog, loadState, ProjectedLog, replayOnto } from '@meshfold/store';
import { MemoryLevel } from 'memory-level';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { record, type RecordOptions } from '../src/recording/record.js';
import { verifyLog } from '../src/queries/verifyLog.js';
import type { Io } from '../src/io/Io.js';

function workloadEntry(name: string) {
  return {
    type: 'ADDED',
    object: {
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: { name, namespace: 'shop' }, spec: { address: '10.0.0.1', labels: { app: 'payments' } },
    },
  };
}

/** An input that yields each chunk after waiting `pauseMs` (longer than the idle flush between chunks). */
async function* paced(chunks: readonly string[], pauseMs: number): AsyncGenerator<string> {
  for (const [i, chunk] of chunks.entries()) {
    if (i > 0) await sleep(pauseMs);
    yield chunk;
  }
}

function bufferIo(stdin: AsyncIterable<string>): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '', stderr: '', interactive: false, stdin,
    out(text: string) { io.stdout += text; },
    err(text: string) { io.stderr += text; },
  };
  return io;
}

/** A memory database whose batch writes fail from the `failFrom`-th on, as a full disk does. */
function failingDatabase(failFrom: number): MemoryLevel<Uint8Array, Uint8Array> {
  const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
  // At the implementation's own write, which every batch form (an array, a chained batch) ends in.
  const inner = db as unknown as { _batch: (...args: unknown[]) => Promise<void> };
  const batch = inner._batch.bind(db);
  let calls = 0;
  inner._batch = (...args: unknown[]) => {
    if (++calls >= failFrom) return Promise.reject(Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }));
    return batch(...args);
  };
  return db;
}

async function eventsOf(log: EventLog): Promise<LoggedEvent[]> {
  await log.open();
  const out: LoggedEvent[] = [];
  for await (const e of log.read()) out.push(e);
  await log.close();
  return out;
}

test('a write that fails (disk full) is a coded error after the summary of what the earlier batches saved', async () => {
  const db = failingDatabase(2);
  const log = new LevelEventLog(db);
  const io = bufferIo(paced([
    `${JSON.stringify(workloadEntry('a'))}\n${JSON.stringify(workloadEntry('b'))}\n`,
    `${JSON.stringify(workloadEntry('c'))}\n`,
  ], 200));
  const options: RecordOptions = { log: 'memory', openLog: async () => { await log.open(); return log; } };
  let thrown: unknown;
  try {
    await record([], options, io);
  } catch (err) {
    thrown = err;
  }
  assert.ok(isMeshfoldError(thrown), `a MeshfoldError, got ${String(thrown)}`);
  assert.is((thrown as { code: string }).code, 'STORE_IO');
  assert.match((thrown as Error).message, 'No space left on device');
  assert.is(io.stdout, 'recorded 2 events (seq 1..2); rejected 0; skipped 0; 1 read but not saved\n');
  assert.equal((await eventsOf(log)).map((e) => e.object.metadata.name), ['a', 'b'], 'the batch appended during the pause is kept');
});

test('each event gets the time it was read, not the time its batch was appended, and a clock stepping back is held', async () => {
  let clock = 0;
  const at = (ms: number) => new Date(ms).toISOString();
  // The clock is moved between reads; nothing pauses, so everything is appended in one batch at the end.
  async function* stdin(): AsyncGenerator<string> {
    clock = Date.parse('2024-05-02T10:00:00.000Z');
    yield `${JSON.stringify(workloadEntry('a'))}\n`;
    clock += 5_000;
    yield `${JSON.stringify(workloadEntry('b'))}\n`;
    clock -= 3_000; // an NTP step back
    yield `${JSON.stringify(workloadEntry('c'))}\n`;
    clock += 60_000;
    yield `${JSON.stringify(workloadEntry('d'))}\n`;
    clock += 3_600_000; // the moment the input ends and the batch is appended
  }
  const log = await EventLog.openMemory();
  const io = bufferIo(stdin());
  await record([], { log: 'memory', openLog: async () => log, now: () => clock }, io);
  const events = await eventsOf(log);
  const t0 = Date.parse('2024-05-02T10:00:00.000Z');
  assert.equal(events.map((e) => `${e.object.metadata.name} ${e.time}`), [
    `a ${at(t0)}`, `b ${at(t0 + 5_000)}`, `c ${at(t0 + 5_000)}`, `d ${at(t0 + 62_000)}`,
  ]);
  assert.is(io.stdout, 'recorded 4 events (seq 1..4); rejected 0; skipped 0\n');
});

test('a record folds, rejects, warns and snapshots as the log requires: invalid events reported, an unknown delete warned and kept, the last snapshot the replayed state', async () => {
  const invalid = { type: 'ADDED', object: { ...workloadEntry('bad').object, spec: { address: '10.0.0.1', ports: { http: 70000 } } } };
  const unknownDelete = { ...workloadEntry('ghost'), type: 'DELETED' };
  const lines = [workloadEntry('a'), invalid, unknownDelete, workloadEntry('b'), { ...workloadEntry('a'), type: 'DELETED' }];
  const log = await EventLog.openMemory();
  const io = bufferIo(paced([lines.map((l) => JSON.stringify(l)).join('\n')], 0));
  const code = await record([], { log: 'memory', openLog: async () => log }, io);
  assert.is(code, 1, io.stderr);
  assert.is(io.stdout, 'recorded 4 events (seq 1..4); rejected 1; skipped 0\n');
  assert.match(io.stderr, /INPUT_INVALID_OBJECT: <stdin>: document 1 \(line 2\): WorkloadEntry\/shop\/bad is invalid/);
  assert.match(io.stderr, 'warning: INPUT_UNKNOWN_DELETE: DELETED WorkloadEntry/shop/ghost, which was never added');
  await log.open();
  const snapshot = await log.snapshotAtOrBefore(4, PROJECTOR_VERSION);
  assert.is(snapshot?.seq, 4);
  const replayed = await replayOnto(log, new Projector(), 4);
  assert.is(snapshot!.hash, Projector.digest(replayed.toSnapshot()));
  assert.equal(objectsOf(Projector.fromSnapshot(snapshot!.state as ProjectorSnapshot).state).map((o) => o.name), ['b']);
  await log.close();
});

const relabel = (name: string, app: string) => ({ ...workloadEntry(name), type: 'MODIFIED', object: { ...workloadEntry(name).object, spec: { address: '10.0.0.1', labels: { app } } } });

/** A memory log `record` wrote `lines` to (a snapshot every 2 events), open, and its snapshots' states, oldest first. */
async function recordedWithSnapshots(lines: unknown[], batch: number): Promise<{ log: EventLog; states: ProjectorSnapshot[] }> {
  const log = await EventLog.openMemory();
  const io = bufferIo(paced([lines.map((l) => JSON.stringify(l)).join('\n')], 0));
  assert.is(await record([], { log: 'memory', openLog: async () => log, snapshotEvery: 2, batch }, io), 0, io.stderr);
  await log.open();
  const states: ProjectorSnapshot[] = [];
  for (const { seq } of await log.listSnapshots()) states.push((await log.snapshotAtOrBefore(seq, PROJECTOR_VERSION))!.state as ProjectorSnapshot);
  return { log, states };
}

/** Stores `forged` (under a digest that matches it) in place of the delta at its seq: verify must refuse it. */
async function verifyRefuses(log: EventLog, forged: ProjectorSnapshot): Promise<Error> {
  await log.putSnapshot(forged.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(forged), state: forged });
  const refused = await verifyLog(log, []).then(() => undefined, (err: unknown) => err);
  assert.is((refused as { code?: string })?.code, 'VERIFY_SNAPSHOT_MISMATCH');
  return refused as Error;
}

test('the fold thread writes deltas between full snapshots: the state loads at every seq as replay gives it, verify checks each delta and refuses a wrong one', async () => {
  const lines = [
    ...Array.from({ length: 12 }, (_, i) => workloadEntry(`w${i}`)),
    ...Array.from({ length: 16 }, (_, i) => relabel(`w${i % 4}`, i % 2 === 0 ? 'orders' : 'payments')),
    { ...workloadEntry('w5'), type: 'DELETED' },
  ];
  const { log, states } = await recordedWithSnapshots(lines, 2);
  try {
    assert.ok(states.filter((s) => s.base !== undefined).length >= 5, `deltas: ${states.map((s) => s.base ?? 'full').join(' ')}`);
    const live = new Projector();
    for await (const event of log.read()) {
      live.replay(event, event.seq);
      assert.is((await loadState(log, event.seq)).hash(), live.hash(), `at seq ${event.seq}`);
    }
    assert.is((await verifyLog(log, [])).snapshots, states.length);
    // A delta that forgets a change, under a digest that matches it: only verify can tell.
    const delta = states.find((s) => s.base !== undefined)!;
    const forged = (await loadState(log, delta.seq)).toDelta(delta.base!, []);
    assert.is.not(Buffer.compare(forged.objects as Uint8Array, delta.objects as Uint8Array), 0);
    assert.match((await verifyRefuses(log, forged)).message, `snapshot at seq ${delta.seq}`);
  } finally {
    await log.close();
  }
});

test('snapshots an earlier meshfold wrote as JSON text load and verify; a wrong one is still refused', async () => {
  const lines = [...Array.from({ length: 8 }, (_, i) => workloadEntry(`w${i}`)), ...Array.from({ length: 12 }, (_, i) => relabel(`w${i % 3}`, i % 2 === 0 ? 'orders' : 'payments'))];
  const { log, states } = await recordedWithSnapshots(lines, 4);
  try {
    assert.ok(states.some((s) => s.base !== undefined) && states.some((s) => s.base === undefined));
    for (const state of states) {
      const text = Projector.asText(state);
      await log.putSnapshot(state.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(text), state: text });
    }
    const reports: unknown[] = [];
    const live = new Projector();
    for await (const event of log.read()) {
      live.replay(event, event.seq);
      assert.is((await loadState(log, event.seq, { onReport: (r) => reports.push(r) })).hash(), live.hash(), `at seq ${event.seq}`);
    }
    assert.equal(reports, []);
    assert.is((await verifyLog(log, [])).snapshots, states.length);
    const delta = states.find((s) => s.base !== undefined)!;
    await verifyRefuses(log, Projector.asText((await loadState(log, delta.seq)).toDelta(delta.base!, [])));
  } finally {
    await log.close();
  }
});

test('the fold thread snapshots at the seqs ProjectedLog does, mid-batch, with the same contents', async () => {
  const lines = [
    ...Array.from({ length: 9 }, (_, i) => workloadEntry(`w${i}`)),
    ...Array.from({ length: 14 }, (_, i) => relabel(`w${i % 3}`, i % 2 === 0 ? 'orders' : 'payments')),
  ];
  const threaded = await EventLog.openMemory();
  const io = bufferIo(paced([lines.map((l) => JSON.stringify(l)).join('\n')], 0));
  // Batches of 10 events, a snapshot every 4: most snapshots fall inside a batch.
  assert.is(await record([], { log: 'memory', openLog: async () => threaded, snapshotEvery: 4, batch: 10 }, io), 0, io.stderr);
  await threaded.open();
  const inProcess = await EventLog.openMemory();
  const projected = await ProjectedLog.open(inProcess, { snapshotEvery: 4 });
  for (let i = 0; i < lines.length; i += 10) await projected.record(lines.slice(i, i + 10) as Parameters<ProjectedLog['record']>[0]);
  try {
    const snapshots = async (log: EventLog) => Promise.all((await log.listSnapshots()).map(async ({ seq }) => {
      const { hash, state } = (await log.snapshotAtOrBefore(seq, PROJECTOR_VERSION))!;
      return { seq, hash, base: (state as ProjectorSnapshot).base };
    }));
    const taken = await snapshots(threaded);
    assert.equal(taken.map((s) => s.seq), [4, 8, 12, 16, 20, 23], 'every 4 events, and one at the end of the recording');
    assert.equal(taken.slice(0, -1), await snapshots(inProcess));
  } finally {
    await threaded.close();
    await inProcess.close();
  }
});

test.run();
