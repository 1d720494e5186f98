import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  associationsOf, endpointsOf, Projector, type Delta, type ServiceEntry, type ServiceEntrySpec, type WatchEvent, type WorkloadEntry,
} from '../src/index.js';
import { toRecord } from '../src/internal/toRecord.js';
import { applyChange } from '../src/internal/applyChange.js';
import { buildState } from '../src/internal/buildState.js';
import { createState, mutable, opaqueState } from '../src/internal/MutableState.js';
import { stateStats, type StateStats } from '../src/internal/stateStats.js';

const serviceEntry = (name: string, spec: ServiceEntrySpec, namespace = 'default'): ServiceEntry =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace }, spec });
const workloadEntry = (name: string, address: string, labels: Record<string, string>, namespace = 'default'): WorkloadEntry =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace }, spec: { address, ports: { http: 8080 }, labels } });
const ev = (type: WatchEvent['type'], object: ServiceEntry | WorkloadEntry): WatchEvent => ({ type, object });
const shardOf = (deltas: readonly Delta[]) => deltas.filter((d) => d.type === 'shard-replaced').map((d) => 'endpoints' in d ? d.endpoints : []);
const portsOf = (endpoints: readonly { address: string; servicePort: number; port: number }[]) =>
  endpoints.map((e) => [e.address, e.servicePort, e.port]);

test('istio#25309: removing a sibling inline endpoint keeps the mapped port 8080 on the remaining one', () => {
  const spec = (...addresses: string[]): ServiceEntrySpec => ({
    hosts: ['httpbin.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], location: 'MESH_EXTERNAL', resolution: 'STATIC',
    endpoints: addresses.map((address) => ({ address, ports: { http: 8080 } })),
  });
  const p = new Projector();
  p.apply(ev('ADDED', serviceEntry('httpbin', spec('2.2.2.2', '3.3.3.3'))));
  const { deltas } = p.apply(ev('MODIFIED', serviceEntry('httpbin', spec('2.2.2.2'))));
  assert.equal(shardOf(deltas).map(portsOf), [[['2.2.2.2', 80, 8080]]], 'shard-replaced delta');
  assert.equal(portsOf(endpointsOf(p.state)), [['2.2.2.2', 80, 8080]], 'state');
});

test('istio#25678: a WorkloadEntry relabel removes its association and endpoint; a later delete leaves nothing; relabelling back restores it', () => {
  const se = ev('ADDED', serviceEntry('test-se', {
    hosts: ['www.test.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], location: 'MESH_INTERNAL', resolution: 'STATIC',
    workloadSelector: { labels: { app: 'test', ready: 'true' } },
  }));
  const p = new Projector();
  p.apply(se);
  const seOnly = stateStats(mutable(p.state));
  const we = (ready: string) => workloadEntry('test-we', '8.8.8.8', { app: 'test', ready });
  const association = { serviceEntry: 'default/test-se', workloadEntry: 'default/test-we' };
  const shard = { type: 'shard-replaced', host: 'www.test.com', namespace: 'default' };

  assert.is(p.apply(ev('ADDED', we('true'))).deltas.length, 2);
  const relabel = p.apply(ev('MODIFIED', we('false'))).deltas;
  assert.equal(relabel, [{ type: 'association-removed', ...association }, { ...shard, endpoints: [] }], 'relabel deltas');

  // The delete payload carries the matching labels again: it must not be trusted.
  assert.equal(p.apply(ev('DELETED', we('true'))).deltas, [], 'delete deltas');
  assert.equal(associationsOf(p.state), []);
  assert.equal(endpointsOf(p.state), []);
  assert.equal(stateStats(mutable(p.state)), seOnly, 'no index entry of the deleted WorkloadEntry is left');

  assert.equal(p.apply(ev('ADDED', we('false'))).deltas, [], 'add unmatched');
  const back = p.apply(ev('MODIFIED', we('true'))).deltas;
  assert.equal(back.map((d) => d.type), ['association-added', 'shard-replaced']);
  assert.equal(associationsOf(p.state), [association]);
  assert.equal(portsOf(endpointsOf(p.state)), [['8.8.8.8', 80, 8080]]);
});

test('istio#25678, at the fold: a change whose old version is stale (as a delete payload can be) still clears what the stored version was linked to', () => {
  const state = createState();
  const se = toRecord(serviceEntry('test-se', {
    hosts: ['www.test.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'test' } },
  }));
  const stored = toRecord(workloadEntry('test-we', '8.8.8.8', { app: 'test' }));
  applyChange(state, { seq: 1, key: 'ServiceEntry/default/test-se', new: se });
  applyChange(state, { seq: 2, key: 'WorkloadEntry/default/test-we', new: stored });
  assert.is(associationsOf(opaqueState(state)).length, 1);
  const stale = toRecord(workloadEntry('test-we', '8.8.8.8', { app: 'other' }));
  const deltas = applyChange(state, { seq: 3, key: 'WorkloadEntry/default/test-we', old: stale, new: undefined });
  assert.equal(associationsOf(opaqueState(state)), []);
  assert.equal(deltas.filter((d) => d.type === 'association-removed').length, 1);
  assert.is(stateStats(state).indexEntries, stateStats(buildState([se])).indexEntries, 'nothing of the workload is left in the indexes');
});

test('istio#25531: state grows linearly: 10× the ServiceEntries (inline and selector variants) is ≤ 10.5× the structure', () => {
  const ENDPOINTS_PER_SE = 10;
  const build = (ses: number, variant: 'inline' | 'selector'): { stats: StateStats; endpoints: number } => {
    const p = new Projector();
    for (let i = 0; i < ses; i++) {
      const ip = (j: number) => `10.${i >> 8}.${i & 255}.${j + 1}`;
      if (variant === 'selector') {
        for (let j = 0; j < ENDPOINTS_PER_SE; j++) p.apply(ev('ADDED', workloadEntry(`we-${i}-${j}`, ip(j), { app: `svc-${i}` }, 'mesh')));
      }
      p.apply(ev('ADDED', serviceEntry(`se-${i}`, {
        hosts: [`svc-${i}.example.com`], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC',
        ...(variant === 'inline'
          ? { endpoints: Array.from({ length: ENDPOINTS_PER_SE }, (_, j) => ({ address: ip(j), ports: { http: 8080 } })) }
          : { workloadSelector: { labels: { app: `svc-${i}` } } }),
      }, 'mesh')));
    }
    return { stats: stateStats(mutable(p.state)), endpoints: endpointsOf(p.state).length };
  };
  const size = (s: StateStats) => s.serviceEntries + s.workloadEntries + s.associations + s.shards + s.indexEntries;

  for (const variant of ['inline', 'selector'] as const) {
    const small = build(100, variant);
    const large = build(1000, variant);
    assert.is(small.endpoints, 100 * ENDPOINTS_PER_SE, `${variant}: endpoints at 100`);
    assert.is(large.endpoints, 1000 * ENDPOINTS_PER_SE, `${variant}: endpoints at 1000`);
    assert.ok(size(large.stats) <= 10.5 * size(small.stats),
      `${variant}: structure grew ${size(large.stats) / size(small.stats)}× (${JSON.stringify(small.stats)} → ${JSON.stringify(large.stats)})`);
    for (const key of Object.keys(small.stats) as (keyof StateStats)[]) {
      assert.ok(large.stats[key] <= 10.5 * small.stats[key], `${variant}: ${key} grew from ${small.stats[key]} to ${large.stats[key]}`);
    }
  }
});

test.run();
