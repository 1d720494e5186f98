import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMeshfoldError, selectedBy, type WatchEvent } from '@meshfold/core';
import { EventLog, ProjectedLog, stateAt } from '../src/index.js';

const orders: WatchEvent['object'] = {
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'orders', namespace: 'shop' },
  spec: { hosts: ['orders.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'orders' } } },
};
const vm = (app: string): WatchEvent['object'] => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm-1', namespace: 'shop' }, spec: { address: '10.0.0.1', labels: { app } },
});

async function logOfThreeTimes(): Promise<EventLog> {
  const log = await EventLog.openMemory();
  const projected = await ProjectedLog.open(log);
  const times = ['2024-05-01T11:00:00Z', '2024-05-01T12:00:00Z', '2024-05-01T13:00:00Z'];
  const events: WatchEvent[] = [{ type: 'ADDED', object: orders }, { type: 'ADDED', object: vm('orders') }, { type: 'MODIFIED', object: vm('billing') }];
  await projected.record(events.map((event, i) => ({ ...event, time: times[i]! })));
  return log;
}

test('stateAt answers "selected at time T" and "selected after seq N" in one call', async () => {
  const log = await logOfThreeTimes();
  try {
    assert.equal(selectedBy((await stateAt(log, '2024-05-01T12:30:00Z')).state, 'shop/orders').map((we) => we.name), ['vm-1']);
    assert.equal(selectedBy((await stateAt(log, new Date('2024-05-01T13:00:00Z'))).state, 'shop/orders'), []);
    assert.equal(selectedBy((await stateAt(log, 2)).state, 'shop/orders').map((we) => we.name), ['vm-1']);
    assert.is((await stateAt(log, '2024-05-01T10:00:00Z')).seq, 0);
  } finally {
    await log.close();
  }
});

test('stateAt refuses a seq past the end and a time that is not RFC 3339', async () => {
  const log = await logOfThreeTimes();
  try {
    for (const at of [4, -1, 1.5, 'noon', '2024-05-01T12:00:00']) {
      await stateAt(log, at).then(() => assert.unreachable(`${at} was accepted`), (err: unknown) => {
        assert.ok(isMeshfoldError(err, 'INPUT_MALFORMED'), String(err));
      });
    }
  } finally {
    await log.close();
  }
});

test.run();
