import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  associationsOf, endpointsOf, Projector, selects, type Resolution, type ServiceEntry, type ServiceEntryRecord, type ServiceEntrySpec, type WatchEvent, type WorkloadEntry, type WorkloadEntrySpec, type WorkloadRecord,
} from '../src/index.js';
import { toRecord } from '../src/internal/toRecord.js';

const serviceEntry = (name: string, namespace: string, spec: Partial<ServiceEntrySpec>): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace },
  spec: { hosts: [`${name}.example.com`], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', ...spec },
});
const workloadEntry = (name: string, namespace: string, spec: WorkloadEntrySpec, metadataLabels?: Record<string, string>): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
  metadata: { name, namespace, ...(metadataLabels && { labels: metadataLabels }) }, spec,
});
const added = (object: ServiceEntry | WorkloadEntry): WatchEvent => ({ type: 'ADDED', object });

function project(...objects: (ServiceEntry | WorkloadEntry)[]): Projector {
  const p = new Projector();
  for (const o of objects) p.apply(added(o));
  return p;
}
const associations = (p: Projector): string[] => associationsOf(p.state).map((a) => `${a.serviceEntry} ${a.workloadEntry}`);
const seRecord = (o: ServiceEntry): ServiceEntryRecord => toRecord(o) as ServiceEntryRecord;
const weRecord = (o: WorkloadEntry): WorkloadRecord => toRecord(o) as WorkloadRecord;

const ordersSelector = { workloadSelector: { labels: { app: 'orders' } } };

test('a selector reaches workloads in its own namespace only', () => {
  const p = project(
    serviceEntry('orders', 'shop', ordersSelector),
    workloadEntry('vm-1', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } }),
    workloadEntry('vm-2', 'other', { address: '10.0.0.2', labels: { app: 'orders' } }),
  );
  assert.equal(associations(p), ['shop/orders shop/vm-1']);
  assert.equal(endpointsOf(p.state).map((e) => e.address), ['10.0.0.1']);
});

test('the same labels in another namespace are not selected, also by selects()', () => {
  const se = seRecord(serviceEntry('orders', 'shop', ordersSelector));
  assert.ok(selects(se, weRecord(workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } }))));
  assert.not.ok(selects(se, weRecord(workloadEntry('vm', 'other', { address: '10.0.0.1', labels: { app: 'orders' } }))));
});

test('metadata labels win over spec labels on conflict', () => {
  const vm = workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders', version: 'v1' } }, { version: 'v2' });
  assert.equal(weRecord(vm).labels, { app: 'orders', version: 'v2' });
  const p = project(vm,
    serviceEntry('v1', 'shop', { workloadSelector: { labels: { version: 'v1' } } }),
    serviceEntry('v2', 'shop', { workloadSelector: { labels: { version: 'v2' } } }));
  assert.equal(associations(p), ['shop/v2 shop/vm']);
});

test('selection uses the merged labels: one selector label from spec, one from metadata', () => {
  const p = project(
    serviceEntry('orders', 'shop', { workloadSelector: { labels: { app: 'orders', version: 'v2' } } }),
    workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } }, { version: 'v2' }),
  );
  assert.equal(associations(p), ['shop/orders shop/vm']);
});

test('endpoints carry the merged labels', () => {
  const p = project(
    serviceEntry('orders', 'shop', ordersSelector),
    workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders', version: 'v1' } }, { version: 'v2' }),
  );
  assert.equal(endpointsOf(p.state).map((e) => e.labels), [{ app: 'orders', version: 'v2' }]);
});

for (const [what, workloadSelector] of [['{}', {}], ['{ labels: {} }', { labels: {} }]] as const) {
  test(`an empty selector ${what} selects every workload in its namespace, added before or after it`, () => {
    const p = project(
      workloadEntry('before', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } }),
      serviceEntry('all', 'shop', { workloadSelector }),
      workloadEntry('after', 'shop', { address: '10.0.0.2' }),
      workloadEntry('elsewhere', 'other', { address: '10.0.0.3' }),
    );
    assert.equal(associations(p), ['shop/all shop/after', 'shop/all shop/before']);
  });
}

test('a ServiceEntry without a selector selects no workload', () => {
  const p = project(
    workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } }),
    serviceEntry('orders', 'shop', {}),
  );
  assert.equal(associations(p), []);
  assert.equal(endpointsOf(p.state), []);
  assert.not.ok(selects(seRecord(serviceEntry('orders', 'shop', {})), weRecord(workloadEntry('vm', 'shop', { address: '10.0.0.1' }))));
});

for (const [kind, address] of [['hostname', 'vm.orders.example.com'], ['unix://', 'unix:///var/run/orders.sock']] as const) {
  for (const resolution of ['STATIC', 'NONE'] as Resolution[]) {
    test(`a ${kind} WorkloadEntry is not selected by a ${resolution} ServiceEntry`, () => {
      const p = project(
        serviceEntry('orders', 'shop', { resolution, ...ordersSelector }),
        workloadEntry('vm', 'shop', { address, labels: { app: 'orders' } }),
      );
      assert.equal(associations(p), []);
      assert.equal(endpointsOf(p.state), []);
    });
  }
  for (const resolution of ['DNS', 'DNS_ROUND_ROBIN'] as Resolution[]) {
    test(`a ${kind} WorkloadEntry is selected by a ${resolution} ServiceEntry`, () => {
      const p = project(
        serviceEntry('orders', 'shop', { resolution, ...ordersSelector }),
        workloadEntry('vm', 'shop', { address, labels: { app: 'orders' } }),
      );
      assert.equal(associations(p), ['shop/orders shop/vm']);
      assert.is(endpointsOf(p.state).length, 1);
    });
  }
}

test('an IP WorkloadEntry is selected by a STATIC ServiceEntry (control for the above)', () => {
  const p = project(
    serviceEntry('orders', 'shop', { resolution: 'STATIC', ...ordersSelector }),
    workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } }),
  );
  assert.equal(associations(p), ['shop/orders shop/vm']);
});

test('arrival order does not matter: WorkloadEntry before ServiceEntry gives the same state as after', () => {
  const se = serviceEntry('orders', 'shop', ordersSelector);
  const vm = workloadEntry('vm', 'shop', { address: '10.0.0.1', labels: { app: 'orders' } });
  const weFirst = project(vm, se);
  const seFirst = project(se, vm);
  assert.equal(associations(weFirst), ['shop/orders shop/vm']);
  assert.equal(endpointsOf(weFirst.state), endpointsOf(seFirst.state));
  assert.is(weFirst.hash(), seFirst.hash());
});

test('narrowing a selector removes exactly the associations it no longer has, and the state follows', () => {
  const a = workloadEntry('a', 'shop', { address: '10.0.0.1', labels: { app: 'orders', tier: 'gold' } });
  const b = workloadEntry('b', 'shop', { address: '10.0.0.2', labels: { app: 'orders' } });
  const p = project(serviceEntry('orders', 'shop', ordersSelector), a, b);
  assert.equal(associations(p), ['shop/orders shop/a', 'shop/orders shop/b']);
  const narrowed = serviceEntry('orders', 'shop', { workloadSelector: { labels: { app: 'orders', tier: 'gold' } } });
  const deltas = p.apply({ type: 'MODIFIED', object: narrowed }).deltas.filter((d) => d.type.startsWith('association'));
  assert.equal(deltas, [{ type: 'association-removed', serviceEntry: 'shop/orders', workloadEntry: 'shop/b' }]);
  assert.equal(associations(p), ['shop/orders shop/a']);
});

test.run();
