// The recorder's batches are bounded by the input they hold as well as by their count, so big
// objects cannot pile up a thousand-event batch's worth of memory.
import { EventLog } from '@meshfold/store';
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
    const recorder = await Recorder.open(log, { batch: 1000, err: () => {} });
    await recorder.add(item('a', MAX_BATCH_CHARS / 2));
    assert.is(log.lastSeq, 0, 'held: half the bound');
    await recorder.add(item('b', MAX_BATCH_CHARS / 2));
    assert.is(log.lastSeq, 2, 'appended at the bound');
    await recorder.add(item('c', 10));
    assert.is(log.lastSeq, 2, 'the count starts afresh');
    assert.is(recorder.pending, 1);
  } finally {
    await log.close();
  }
});

test.run();
