// Hostile keys and values — names every JavaScript object inherits, `__proto__`, NUL and other
// control characters, unicode, long strings, values YAML makes that are not JSON — must be
// folded exactly as the log stores and replays them: one event is accepted whole or rejected
// alone, and live state == replay == snapshot load, whatever the event holds.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { associationsOf, endpointsOf, isMeshfoldError, Projector, type WatchEvent } from '@meshfold/core';
import { EventLog, loadState, ProjectedLog, replayOnto } from '../src/index.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 5;

const HOSTILE = [
  'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'prototype',
  'a\u0000b', 'b\u0000', '\u0000', '\u001b[31mred', 'line\nbreak', 'ünïcødé', '🙂', 'app', 'x'.repeat(300),
];
const hostile = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 4 }));
const labels = fc.dictionary(hostile, hostile, { maxKeys: 3 });

const meta = (name: string, extra: object) => ({ name, namespace: 'ns', ...extra });

const workloadEntry = fc.record({
  name: fc.constantFrom('w1', 'w2', 'w3'),
  specLabels: labels,
  metaLabels: labels,
  network: hostile,
  locality: hostile,
}).map(({ name, specLabels, metaLabels, network, locality }) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: meta(name, { labels: metaLabels }),
  spec: { address: '10.0.0.1', labels: specLabels, network, locality },
}));

const serviceEntry = fc.record({ name: fc.constantFrom('s1', 's2'), selector: labels }).map(({ name, selector }) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta(name, {}),
  spec: { hosts: [`${name}.example.com`], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: selector } },
}));

/** Events as they arrive from a JSON text: JSON.parse makes `__proto__` an own key, as a reader of kubectl output does. */
const event = fc.record({ type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED'), object: fc.oneof(workloadEntry, serviceEntry) })
  .map((e) => JSON.parse(JSON.stringify(e)) as WatchEvent);

test('hostile keys and values: what is stored is what was folded, and live == replay == snapshot load', async () => {
  await fc.assert(fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 6 }), async (events, snapshotEvery) => {
    const log = await EventLog.openMemory();
    try {
      const projected = await ProjectedLog.open(log, { snapshotEvery });
      const hashes = [projected.projector.hash()];
      const accepted: WatchEvent[] = [];
      for (const e of events) {
        const { seqs } = await projected.record([e]);
        if (seqs.length === 0) continue;
        accepted.push(e);
        hashes.push(projected.projector.hash());
        assertEndpointsCarryTheirOwnTraits(projected.projector, accepted);
      }
      for (const [i, e] of accepted.entries()) {
        assert.equal((await log.get(i + 1))?.object, e.object, `seq ${i + 1} is stored exactly as it was folded`);
      }
      const replayed = await replayOnto(log, new Projector(), log.lastSeq);
      assert.is(replayed.hash(), projected.projector.hash(), 'replay from seq 1');
      assert.equal(associationsOf(replayed.state), associationsOf(projected.projector.state));
      for (let seq = 0; seq <= log.lastSeq; seq++) {
        assert.is((await loadState(log, seq)).hash(), hashes[seq], `loaded at seq ${seq}`);
      }
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

/** Each WorkloadEntry's endpoints carry that workload's own network and locality, not another's. */
function assertEndpointsCarryTheirOwnTraits(projector: Projector, accepted: readonly WatchEvent[]): void {
  const last = new Map<string, { network: string; locality: string }>();
  for (const e of accepted) {
    if (e.object.kind !== 'WorkloadEntry') continue;
    const key = `WorkloadEntry/ns/${e.object.metadata.name}`;
    if (e.type === 'DELETED') last.delete(key);
    else last.set(key, e.object.spec as { network: string; locality: string });
  }
  for (const endpoint of endpointsOf(projector.state)) {
    const spec = last.get(endpoint.workload);
    if (!spec) continue;
    assert.is(endpoint.network, spec.network, `${endpoint.workload} network`);
    if (spec.locality !== '') assert.is(endpoint.locality, spec.locality, `${endpoint.workload} locality`);
  }
}

const we = (name: string, spec: object, labels?: Record<string, string>): WatchEvent => ({
  type: 'ADDED' as const,
  object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'ns', ...(labels && { labels }) }, spec: { address: '10.0.0.1', ...spec } },
});

test('a selector key __proto__ is rejected whole, never read as an empty selector', () => {
  const p = new Projector();
  p.apply(we('w1', {}));
  const se = JSON.parse(`{"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"s","namespace":"ns"},
    "spec":{"hosts":["s.example.com"],"ports":[{"number":80,"name":"http"}],"resolution":"STATIC","workloadSelector":{"labels":{"__proto__":"x"}}}}`) as WatchEvent['object'];
  const err = failure(() => p.apply({ type: 'ADDED', object: se }));
  assert.is(err.code, 'INPUT_INVALID_OBJECT');
  assert.match(err.message, '__proto__');
  assert.equal(associationsOf(p.state), []);
});

test('label keys every object inherits (constructor, toString, valueOf) are labels like any other', () => {
  const p = new Projector();
  p.apply(we('w1', { labels: { constructor: 'a' } }, { toString: 'b', valueOf: 'c' }));
  p.apply({ type: 'ADDED', object: {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 's', namespace: 'ns' },
    spec: { hosts: ['s.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: { constructor: 'a', toString: 'b', valueOf: 'c' } } },
  } });
  assert.equal(associationsOf(p.state), [{ serviceEntry: 'ns/s', workloadEntry: 'ns/w1' }]);
  assert.equal(endpointsOf(p.state)[0]?.labels, { constructor: 'a', toString: 'b', valueOf: 'c' });
});

test('NUL inside network or locality cannot make one workload share another\'s traits', () => {
  const p = new Projector();
  p.apply(we('w1', { network: 'a\u0000b', locality: 'c' }));
  p.apply(we('w2', { network: 'a', locality: 'b\u0000c' }));
  p.apply({ type: 'ADDED', object: {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 's', namespace: 'ns' },
    spec: { hosts: ['s.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: {} } },
  } });
  const byWorkload = Object.fromEntries(endpointsOf(p.state).map((e) => [e.workload, [e.network, e.locality]]));
  assert.equal(byWorkload, { 'WorkloadEntry/ns/w1': ['a\u0000b', 'c'], 'WorkloadEntry/ns/w2': ['a', 'b\u0000c'] });
});

test('values that are not JSON data (a Map, a Set, a Date, bytes) are rejected whole, naming the field', () => {
  for (const [value, what] of [[new Map([['app', 'x']]), 'Map'], [new Set(['x']), 'Set'], [new Date(0), 'Date'], [new Uint8Array(2), 'Uint8Array']] as const) {
    const err = failure(() => new Projector().apply(we('w1', { labels: value })));
    assert.is(err.code, 'INPUT_INVALID_OBJECT');
    assert.match(err.message, 'spec.labels');
    assert.match(err.message, what);
  }
});

test('an object nested deeper than the limit is rejected alone; its neighbours are recorded', async () => {
  let deep: object = {};
  for (let i = 0; i < 2000; i++) deep = { d: deep };
  const log = await EventLog.openMemory();
  try {
    const projected = await ProjectedLog.open(log);
    const poisoned = we('w2', {});
    (poisoned.object as Record<string, unknown>).status = deep;
    const result = await projected.record([we('w1', {}), poisoned, we('w3', {})]);
    assert.is(result.rejected.length, 1);
    assert.is(result.rejected[0]!.index, 1);
    assert.match(result.rejected[0]!.error.message, 'nested more than');
    assert.is(log.lastSeq, 2);
  } finally {
    await log.close();
  }
});

test('a DELETED payload must carry an identity an ADDED could have had', () => {
  for (const [name, namespace] of [['a/b', 'ns'], ['a', 'x/y'], ['a\u0000', 'ns'], ['\u001b[2J', 'ns']] as const) {
    const err = failure(() => new Projector().apply({ type: 'DELETED', object: {
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace }, spec: {},
    } }));
    assert.is(err.code, 'INPUT_INVALID_OBJECT', `${JSON.stringify([name, namespace])}`);
  }
});

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isMeshfoldError(err)) return err;
    throw err;
  }
  throw new Error('expected a MeshfoldError');
}

test.run();
