import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { decodeEvent } from '../src/eventCodec.js';
import { encodeValue } from '../src/valueCodec.js';
import { collect } from './support/watchEvents.js';

const object = (name: string) => ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'shop' }, spec: { address: '10.0.0.1' } });

test('an event appended with an origin reads back with it; the others have no origin key at all', async () => {
  const log = await EventLog.openMemory();
  await log.append([{ type: 'ADDED', object: object('a') }, { type: 'ADDED', object: object('b') }]);
  await log.append([{ type: 'DELETED', object: object('b'), origin: { sync: 3 } }]);
  const events = (await collect(log.readBatches())).flat();
  assert.equal(events.map((e) => ('origin' in e ? e.origin : 'none')), ['none', 'none', { sync: 3 }]);
  assert.is(await log.lastSeqOf('WorkloadEntry/shop/b'), 3);
  assert.is(await log.lastSeqOf('WorkloadEntry/shop/a'), 1);
  assert.is(await log.lastSeqOf('WorkloadEntry/shop/never'), 0);
  await log.close();
});

test('an origin that is not {sync: seq} fails the whole append with INPUT_MALFORMED', async () => {
  const log = await EventLog.openMemory();
  for (const origin of [{ sync: 0 }, { sync: 'x' }, 'relist', null]) {
    try {
      await log.append([{ type: 'ADDED', object: object('a') }, { type: 'DELETED', object: object('a'), origin: origin as never }]);
      assert.unreachable(`origin ${JSON.stringify(origin)} was accepted`);
    } catch (err) {
      assert.is((err as { code?: string }).code, 'INPUT_MALFORMED', String(err));
    }
  }
  assert.is(log.lastSeq, 0);
  await log.close();
});

test('a stored event of format 1 written before origins existed still decodes, without one', () => {
  // {seq, time, type, object} exactly as every log before this field was written.
  const old = encodeValue({ seq: 7, time: '2024-05-02T10:00:00.000Z', type: 'ADDED', object: object('a') });
  assert.equal(decodeEvent(old, 7), { seq: 7, time: '2024-05-02T10:00:00.000Z', type: 'ADDED', object: object('a') });
});

test.run();
