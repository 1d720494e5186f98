// The recorder's batches are bounded by the input they hold as well as by their count, so big
// objects cannot pile up a thousand-event batch's worth of memory; a full batch is written while
// the next one is read, and a write that fails stops the recorder at the next step.
import { EventLog, LevelEventLog } from '@meshfold/store';
import { MemoryLevel } from 'memory-level';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InputItem } from '@meshfold/core';
import { MAX_BATCH_CHARS, Recorder } from '../src/recording/Recorder.js';

const item = (name: string, chars: number): InputItem => ({
  source: 'big.json', index: 0, line: 1, chars,
  event: { type: 'ADDED', object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'ns' }, spec: { address: '10.0.0.1' } } },
});

test('a batch is appended once the events it holds were read from MAX_BATCH_CHARS of input, before it is full', async () => {
  const log = await EventLog.openMemory();
  try {
    const appended: string[] = [];
    const recorder = await Recorder.open(log, { batch: 1000, verbose: true, err: (text) => { if (text.startsWith('appended')) appended.push(text.trim()); } });
    await recorder.add(item('a', MAX_BATCH_CHARS / 2));
    await recorder.add(item('b', MAX_BATCH_CHARS / 2));
    await recorder.add(item('c', 10));
    await recorder.flush();
    assert.equal(appended, ['appended seq 1..2', 'appended seq 3..3'], 'a and b were one batch, cut at the bound');
  } finally {
    await log.close();
  }
});

test('a full batch is appended while the next is read, and flush waits until every event read is in the log', async () => {
  const log = await EventLog.openMemory();
  try {
    const recorder = await Recorder.open(log, { batch: 2, err: () => {} });
    for (const name of ['a', 'b', 'c']) await recorder.add(item(name, 10));
    assert.is(recorder.pending + recorder.appended, 3, 'every event read is held, being appended, or appended');
    await recorder.flush();
    assert.is(log.lastSeq, 3);
    assert.is(recorder.pending, 0);
  } finally {
    await log.close();
  }
});

test('a write that fails while the next batch is read fails the next add, and both batches are reported lost', async () => {
  const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
  // At the implementation's own write, which every batch form (an array, a chained batch) ends in.
  const inner = db as unknown as { _batch: (...args: unknown[]) => Promise<void> };
  const batch = inner._batch.bind(db);
  let calls = 0;
  inner._batch = (...args: unknown[]) => {
    if (++calls >= 3) return Promise.reject(Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }));
    return batch(...args);
  };
  const log = new LevelEventLog(db);
  await log.open();
  try {
    const recorder = await Recorder.open(log, { batch: 1, err: () => {} });
    await recorder.add(item('a', 10));
    await recorder.add(item('b', 10)); // a and its link index are written; b's append starts and fails
    let thrown: unknown;
    try {
      await recorder.add(item('c', 10));
    } catch (err) {
      thrown = err;
    }
    assert.is((thrown as { code?: string })?.code, 'STORE_IO');
    assert.is(log.lastSeq, 1);
    assert.is(recorder.summary(), 'recorded 1 event (seq 1..1); rejected 0; skipped 0; 2 read but not saved\n');
    const again = await recorder.flush().then(() => undefined, (err: unknown) => err);
    assert.is(again, thrown, 'the recorder stays stopped: nothing more is appended');
  } finally {
    await log.close();
  }
});

test.run();
