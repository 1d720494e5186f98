// `record` driven in-process with an injected log and input, for what a child process cannot
// show cheaply: a write that fails (a full disk) and, later, the clock events are stamped with.
import { setTimeout as sleep } from 'node:timers/promises';
import { isMeshfoldError, type LoggedEvent } from '@meshfold/core';
import { EventLog, LevelEventLog } from '@meshfold/store';
import { MemoryLevel } from 'memory-level';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { record, type RecordOptions } from '../src/recording/record.js';
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
  const batch = db.batch.bind(db) as (...args: unknown[]) => Promise<void>;
  let calls = 0;
  (db as unknown as { batch: (...args: unknown[]) => unknown }).batch = (...args: unknown[]) => {
    if (args.length > 0 && ++calls >= failFrom) return Promise.reject(Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }));
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

test.run();
