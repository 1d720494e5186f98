import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  endpointsOf, isMeshfoldError, MeshfoldError, Projector,
  type Delta, type EndpointRecord, type ServiceEntry, type ServiceEntrySpec, type WatchEvent, type WorkloadEntry, type WorkloadEntrySpec,
} from '../src/index.js';
import { mutable } from '../src/internal/MutableState.js';
import { stateStats } from '../src/internal/stateStats.js';

const serviceEntry = (name: string, spec: Partial<ServiceEntrySpec>, namespace = 'shop'): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace },
  spec: { hosts: ['orders.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', ...spec },
});
const workloadEntry = (name: string, spec: WorkloadEntrySpec, namespace = 'shop'): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace }, spec,
});
const ev = (type: WatchEvent['type'], object: ServiceEntry | WorkloadEntry): WatchEvent => ({ type, object });

function projector(...events: WatchEvent[]): Projector {
  const p = new Projector();
  for (const e of events) p.apply(e);
  return p;
}
const types = (deltas: readonly Delta[]): string[] => deltas.map((d) => d.type);
const shardDelta = (deltas: readonly Delta[], host: string): readonly EndpointRecord[] | undefined => {
  const d = deltas.find((x) => x.type === 'shard-replaced' && x.host === host);
  return d?.type === 'shard-replaced' ? d.endpoints : undefined;
};
const addresses = (endpoints: readonly EndpointRecord[] | undefined): string[] | undefined => endpoints?.map((e) => e.address);

const selecting = serviceEntry('orders', { workloadSelector: { labels: { app: 'orders' } } });
const vm = workloadEntry('vm', { address: '10.0.0.1', labels: { app: 'orders' } });
const inline = serviceEntry('orders', { endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }] });
/** Selector and inline endpoints together: rejected by validation. */
const invalid = serviceEntry('orders', { workloadSelector: { labels: { app: 'orders' } }, endpoints: [{ address: '10.0.0.9' }] });

function thrown(fn: () => unknown): MeshfoldError {
  try { fn(); } catch (err) {
    assert.ok(isMeshfoldError(err), `expected a MeshfoldError, got ${String(err)}`);
    return err;
  }
  assert.unreachable('expected a MeshfoldError to be thrown');
  throw new Error('unreachable');
}

test('a MODIFIED carrying the same ServiceEntry again yields no deltas', () => {
  const p = projector(ev('ADDED', selecting), ev('ADDED', vm));
  assert.equal(p.apply(ev('MODIFIED', selecting)).deltas, []);
});

test('a MODIFIED carrying the same WorkloadEntry again yields no deltas', () => {
  const p = projector(ev('ADDED', selecting), ev('ADDED', vm));
  assert.equal(p.apply(ev('MODIFIED', vm)).deltas, []);
});

test('a DELETED of an unknown object yields an INPUT_UNKNOWN_DELETE notice and no deltas', () => {
  const p = projector(ev('ADDED', selecting));
  const before = p.hash();
  const result = p.apply(ev('DELETED', vm));
  assert.is(result.notice?.code, 'INPUT_UNKNOWN_DELETE');
  assert.equal(result.deltas, []);
  assert.is(result.change, undefined);
  assert.is(p.hash(), before);
});

test('a DELETED whose payload carries other labels unindexes the last known version', () => {
  const p = projector(ev('ADDED', selecting), ev('ADDED', vm));
  p.apply(ev('DELETED', workloadEntry('vm', { address: '10.0.0.1', labels: { app: 'billing' } })));
  assert.equal(stateStats(mutable(p.state)), stateStats(mutable(projector(ev('ADDED', selecting)).state)));
  assert.equal(p.apply(ev('ADDED', serviceEntry('again', { workloadSelector: { labels: { app: 'orders' } } }))).deltas
    .filter((d) => d.type === 'association-added'), []);
});

test('a MODIFIED of an unknown key acts as an add', () => {
  const modified = projector(ev('ADDED', selecting));
  const result = modified.apply(ev('MODIFIED', vm));
  assert.is(result.notice, undefined);
  assert.equal(types(result.deltas), ['association-added', 'shard-replaced']);
  assert.is(modified.hash(), projector(ev('ADDED', selecting), ev('ADDED', vm)).hash());
});

test('an invalid ServiceEntry throws INPUT_INVALID_OBJECT naming the object and the field', () => {
  const err = thrown(() => new Projector().apply(ev('ADDED', invalid)));
  assert.is(err.code, 'INPUT_INVALID_OBJECT');
  assert.match(err.message, 'ServiceEntry/shop/orders');
  assert.match(err.message, /workloadSelector|endpoints/);
});

test('an invalid ADDED leaves the state hash unchanged', () => {
  const p = projector(ev('ADDED', vm));
  const before = p.hash();
  thrown(() => p.apply(ev('ADDED', invalid)));
  assert.is(p.hash(), before);
  assert.is(p.lookup('ServiceEntry/shop/orders'), undefined);
});

test('an invalid MODIFIED of an existing object keeps the old version', () => {
  const p = projector(ev('ADDED', selecting), ev('ADDED', vm));
  const before = p.hash();
  const old = p.lookup('ServiceEntry/shop/orders');
  thrown(() => p.apply(ev('MODIFIED', invalid)));
  assert.is(p.hash(), before);
  assert.is(p.lookup('ServiceEntry/shop/orders'), old);
  assert.equal(addresses(endpointsOf(p.state)), ['10.0.0.1']);
});

test('a rejected event leaves the seq as it was, and the next valid event applies', () => {
  const p = projector(ev('ADDED', selecting));
  thrown(() => p.apply(ev('ADDED', serviceEntry('bad', { workloadSelector: { labels: { app: 'x' } }, endpoints: [{ address: '10.0.0.9' }] }))));
  assert.is(p.seq, 1);
  assert.is(p.apply(ev('ADDED', vm)).seq, 2);
  assert.equal(addresses(endpointsOf(p.state)), ['10.0.0.1']);
});

test('two ServiceEntries with the same host in one namespace share a shard', () => {
  const p = projector(
    ev('ADDED', serviceEntry('a', { endpoints: [{ address: '10.0.0.1' }] })),
    ev('ADDED', serviceEntry('b', { endpoints: [{ address: '10.0.0.2' }] })),
  );
  assert.equal(endpointsOf(p.state).map((e) => [e.host, e.address]), [['orders.example.com', '10.0.0.1'], ['orders.example.com', '10.0.0.2']]);
});

test('deleting one of two ServiceEntries sharing a shard keeps the other one\'s endpoints', () => {
  const a = serviceEntry('a', { endpoints: [{ address: '10.0.0.1' }] });
  const p = projector(ev('ADDED', a), ev('ADDED', serviceEntry('b', { endpoints: [{ address: '10.0.0.2' }] })));
  const { deltas } = p.apply(ev('DELETED', a));
  assert.equal(addresses(shardDelta(deltas, 'orders.example.com')), ['10.0.0.2']);
  assert.equal(addresses(endpointsOf(p.state)), ['10.0.0.2']);
});

test('the same host in two namespaces makes two shards', () => {
  const p = projector(
    ev('ADDED', serviceEntry('a', { endpoints: [{ address: '10.0.0.1' }] }, 'shop')),
    ev('ADDED', serviceEntry('a', { endpoints: [{ address: '10.0.0.2' }] }, 'other')),
  );
  const { deltas } = p.apply(ev('DELETED', serviceEntry('a', {}, 'other')));
  assert.equal(deltas.filter((d) => d.type === 'shard-replaced').map((d) => [d.namespace, d.host]), [['other', 'orders.example.com']]);
  assert.equal(endpointsOf(p.state).map((e) => [e.namespace, e.address]), [['shop', '10.0.0.1']]);
});

test('a host change moves the endpoints: the old shard is emptied with []', () => {
  const p = projector(ev('ADDED', inline));
  const { deltas } = p.apply(ev('MODIFIED', { ...inline, spec: { ...inline.spec, hosts: ['billing.example.com'] } }));
  assert.equal(shardDelta(deltas, 'orders.example.com'), []);
  assert.equal(addresses(shardDelta(deltas, 'billing.example.com')), ['10.0.0.1', '10.0.0.2']);
  assert.equal(endpointsOf(p.state).map((e) => e.host), ['billing.example.com', 'billing.example.com']);
});

test('a host change removes the old service and adds the new one', () => {
  const p = projector(ev('ADDED', inline));
  const { deltas } = p.apply(ev('MODIFIED', { ...inline, spec: { ...inline.spec, hosts: ['billing.example.com'] } }));
  assert.equal(deltas.filter((d) => d.type.startsWith('service-')), [
    { type: 'service-added', serviceEntry: 'shop/orders', host: 'billing.example.com', namespace: 'shop' },
    { type: 'service-removed', serviceEntry: 'shop/orders', host: 'orders.example.com', namespace: 'shop' },
  ]);
});

test('a DNS ServiceEntry without endpoints or selector gets one endpoint per host × port, at the host, on targetPort || number', () => {
  const p = projector(ev('ADDED', serviceEntry('ext', {
    hosts: ['a.example.com', 'b.example.com'],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 }, { number: 443, name: 'https', protocol: 'HTTPS' }],
    resolution: 'DNS',
  })));
  assert.equal(endpointsOf(p.state).map((e) => [e.host, e.servicePort, e.address, e.port]), [
    ['a.example.com', 80, 'a.example.com', 8080],
    ['a.example.com', 443, 'a.example.com', 443],
    ['b.example.com', 80, 'b.example.com', 8080],
    ['b.example.com', 443, 'b.example.com', 443],
  ]);
});

test('a STATIC ServiceEntry without endpoints or selector has no endpoints', () => {
  const p = projector(ev('ADDED', serviceEntry('ext', {})));
  assert.equal(endpointsOf(p.state), []);
});

test('inline endpoints are named ServiceEntry/<ns>/<se>-<i>, in their order', () => {
  const p = projector(ev('ADDED', serviceEntry('orders', { endpoints: [{ address: '10.0.0.2' }, { address: '10.0.0.1' }] })));
  assert.equal(endpointsOf(p.state).map((e) => [e.address, e.workload]), [
    ['10.0.0.1', 'ServiceEntry/shop/orders-1'],
    ['10.0.0.2', 'ServiceEntry/shop/orders-0'],
  ]);
});

test('a port change emits service-updated and replaces the shard with the new ports', () => {
  const p = projector(ev('ADDED', inline));
  const { deltas } = p.apply(ev('MODIFIED', { ...inline, spec: { ...inline.spec, ports: [{ number: 8000, name: 'http', protocol: 'HTTP' }] } }));
  assert.equal(deltas.filter((d) => d.type.startsWith('service-')),
    [{ type: 'service-updated', serviceEntry: 'shop/orders', host: 'orders.example.com', namespace: 'shop' }]);
  assert.equal(shardDelta(deltas, 'orders.example.com')?.map((e) => [e.servicePort, e.port]), [[8000, 8000], [8000, 8000]]);
});

test('an inline endpoint change emits no service delta, only the shard', () => {
  const p = projector(ev('ADDED', inline));
  const { deltas } = p.apply(ev('MODIFIED', { ...inline, spec: { ...inline.spec, endpoints: [{ address: '10.0.0.3' }] } }));
  assert.equal(types(deltas), ['shard-replaced']);
});

test('delta order is deterministic: it does not depend on the order earlier objects arrived in', () => {
  const we = (n: number): WatchEvent => ev('ADDED', workloadEntry(`vm-${n}`, { address: `10.0.0.${n}`, labels: { app: 'orders' } }));
  const se = ev('ADDED', serviceEntry('orders', { hosts: ['b.example.com', 'a.example.com'], workloadSelector: { labels: { app: 'orders' } } }));
  const one = projector(we(1), we(2), we(3)).apply(se).deltas;
  const other = projector(we(3), we(1), we(2)).apply(se).deltas;
  assert.equal(one, other);
  assert.equal(one.filter((d) => d.type === 'association-added').map((d) => 'workloadEntry' in d && d.workloadEntry),
    ['shop/vm-1', 'shop/vm-2', 'shop/vm-3']);
  assert.equal(one.filter((d) => d.type === 'shard-replaced').map((d) => 'host' in d && d.host), ['a.example.com', 'b.example.com']);
});

test('delta order is deterministic: the same events give the same deltas twice', () => {
  const events = [ev('ADDED', vm), ev('ADDED', selecting), ev('MODIFIED', { ...vm, spec: { ...vm.spec, address: '10.0.0.5' } }), ev('DELETED', selecting)];
  const run = (): Delta[][] => { const p = new Projector(); return events.map((e) => [...p.apply(e).deltas]); };
  assert.equal(run(), run());
});

test.run();
