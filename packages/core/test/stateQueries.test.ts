import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  clustersOf, endpointsOf, objectOf, Projector, selectedBy, selectorsOf, sizeOf,
  type ServiceEntry, type WatchEvent, type WorkloadEntry,
} from '../src/index.js';

const serviceEntry = (namespace: string, name: string, app: string, ports = [80]): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace },
  spec: {
    hosts: ['orders.example.com'], ports: ports.map((number) => ({ number, name: `p${number}`, protocol: 'TCP' })),
    resolution: 'STATIC', workloadSelector: { labels: { app } },
  },
});
const workloadEntry = (namespace: string, name: string, address: string, app: string): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace }, spec: { address, labels: { app } },
});
const added = (object: ServiceEntry | WorkloadEntry): WatchEvent => ({ type: 'ADDED', object });

function mesh(): Projector {
  const p = new Projector();
  for (const object of [
    serviceEntry('a', 'orders', 'orders', [80, 443]), serviceEntry('a', 'all-orders', 'orders'), serviceEntry('b', 'orders', 'orders'),
    workloadEntry('a', 'vm-2', '10.0.0.2', 'orders'), workloadEntry('a', 'vm-1', '10.0.0.1', 'orders'), workloadEntry('b', 'vm-3', '10.0.0.3', 'orders'),
  ]) p.apply(added(object));
  return p;
}

test('selectedBy lists the workloads a ServiceEntry selects by name, and nothing for one the state lacks', () => {
  const { state } = mesh();
  assert.equal(selectedBy(state, 'a/orders').map((we) => we.name), ['vm-1', 'vm-2']);
  assert.equal(selectedBy(state, { namespace: 'b', name: 'orders' }).map((we) => we.name), ['vm-3']);
  assert.equal(selectedBy(state, 'a/missing'), []);
});

test('selectorsOf lists the ServiceEntries selecting a workload by name', () => {
  const { state } = mesh();
  assert.equal(selectorsOf(state, 'a/vm-1').map((se) => se.name), ['all-orders', 'orders']);
  assert.equal(selectorsOf(state, 'b/missing'), []);
});

test('objectOf and sizeOf read single records and counts', () => {
  const { state } = mesh();
  assert.equal(objectOf(state, 'WorkloadEntry', 'b/vm-3')?.address, '10.0.0.3');
  assert.is(objectOf(state, 'ServiceEntry', 'b/vm-3'), undefined);
  assert.equal(sizeOf(state), { serviceEntries: 3, workloadEntries: 3 });
});

test('clustersOf merges a host\'s endpoints across namespaces into one cluster per port', () => {
  const { state } = mesh();
  const clusters = clustersOf(state);
  assert.equal(clusters.map((c) => c.name), ['outbound|443||orders.example.com', 'outbound|80||orders.example.com']);
  assert.equal(clusters[1]!.endpoints.map((e) => `${e.namespace} ${e.address}`),
    ['a 10.0.0.1', 'a 10.0.0.1', 'a 10.0.0.2', 'a 10.0.0.2', 'b 10.0.0.3']);
  assert.equal(clustersOf(state, 'other.example.com'), []);
  assert.equal(clusters.flatMap((c) => c.endpoints).length, endpointsOf(state).length);
});

test('apply reports the clusters an event moved with their full lists, and an emptied cluster as []', () => {
  const p = mesh();
  const moved = p.apply(added(workloadEntry('b', 'vm-4', '10.0.0.4', 'orders')));
  assert.equal(moved.clusters.map((c) => [c.name, c.endpoints.length]), [['outbound|80||orders.example.com', 6]]);
  const shrunk = p.apply({ type: 'DELETED', object: serviceEntry('a', 'orders', 'orders', [80, 443]) });
  assert.equal(shrunk.clusters.map((c) => [c.name, c.endpoints.length]), [['outbound|443||orders.example.com', 0], ['outbound|80||orders.example.com', 4]]);
  assert.equal(p.replay(added(workloadEntry('b', 'vm-5', '10.0.0.5', 'orders'))).clusters, [], 'replay computes no endpoint lists');
});

test('the state a consumer holds exposes no collection to change', () => {
  const { state } = mesh();
  // @ts-expect-error: the state is opaque; its collections are not part of its type.
  assert.ok(state.serviceEntries !== undefined);
});

test.run();
