import { firstValueFrom, from, lastValueFrom, materialize, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  associationsOf, isMeshfoldError, MeshfoldError, Projector, project,
  type ProjectOptions, type ProjectionStep, type ServiceEntry, type WatchEvent, type WorkloadEntry,
} from '../src/index.js';

const serviceEntry = (name: string, spec: ServiceEntry['spec'] = {}): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: 'shop' },
  spec: { hosts: [`${name}.example.com`], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', ...spec },
});
const workloadEntry = (name: string, labels: Record<string, string>): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'shop' }, spec: { address: '10.0.0.1', labels },
});
const ev = (type: WatchEvent['type'], object: ServiceEntry | WorkloadEntry): WatchEvent => ({ type, object });

const orders = serviceEntry('orders', { workloadSelector: { labels: { app: 'orders' } } });
const invalid = serviceEntry('bad', { workloadSelector: { labels: { app: 'orders' } }, endpoints: [{ address: '10.0.0.9' }] });
const events: WatchEvent[] = [
  ev('ADDED', orders), // 1: service + empty shard → deltas
  ev('MODIFIED', orders), // 2: no-op
  ev('ADDED', workloadEntry('lone', { app: 'billing' })), // 3: selected by nothing
  ev('DELETED', workloadEntry('ghost', {})), // 4: unknown delete
  ev('ADDED', workloadEntry('vm', { app: 'orders' })), // 5: association + endpoint
];

const run = (input: WatchEvent[], options?: ProjectOptions): Promise<ProjectionStep[]> =>
  lastValueFrom(from(input).pipe(project(options), toArray()));

function projectorAfter(input: WatchEvent[]): Projector {
  const p = new Projector();
  for (const e of input) {
    try { p.apply(e); } catch (err) { if (!isMeshfoldError(err)) throw err; }
  }
  return p;
}

test('steps are emitted only for changes with deltas', async () => {
  const steps = await run(events, { onRejected: () => {} });
  assert.equal(steps.map((s) => s.seq), [1, 5]);
  assert.ok(steps.every((s) => s.deltas.length > 0));
});

test('each step carries the same deltas the Projector returns for that event', async () => {
  const steps = await run(events, { onRejected: () => {} });
  const p = new Projector();
  const expected = events.map((e) => p.apply(e)).filter((r) => r.deltas.length > 0).map((r) => r.deltas);
  assert.equal(steps.map((s) => s.deltas), expected);
});

test('the final state equals the Projector\'s', async () => {
  const projector = new Projector();
  await run(events, { onRejected: () => {}, from: () => projector });
  assert.is(projector.hash(), projectorAfter(events).hash());
});

test('a stream continuing a projector deletes an object that projector holds', async () => {
  const projector = projectorAfter(events);
  const notices: string[] = [];
  const steps = await run([ev('DELETED', workloadEntry('vm', { app: 'orders' }))],
    { from: () => projector, onNotice: (n) => notices.push(n.code) });
  assert.equal(notices, []);
  assert.equal(steps.map((s) => s.seq), [6]);
  assert.equal(steps[0]!.deltas.filter((d) => d.type === 'association-removed').length, 1);
  assert.equal(associationsOf(projector.state), []);
});

test('with onRejected an invalid event is reported and the stream goes on', async () => {
  const rejected: unknown[] = [];
  const steps = await run([ev('ADDED', orders), ev('ADDED', invalid), ev('ADDED', workloadEntry('vm', { app: 'orders' }))],
    { onRejected: (r) => rejected.push(r) });
  assert.is(rejected.length, 1);
  assert.ok(rejected[0] instanceof MeshfoldError);
  assert.is((rejected[0] as MeshfoldError).code, 'INPUT_INVALID_OBJECT');
  // Like Projector.apply: a rejected event takes no seq, so the next valid one is seq 2.
  assert.equal(steps.map((s) => s.seq), [1, 2]);
  assert.equal(associationsOf(steps.at(-1)!.state), [{ serviceEntry: 'shop/orders', workloadEntry: 'shop/vm' }]);
});

test('a delete of an unknown object is a notice with its seq, not a rejection', async () => {
  const notices: string[] = [];
  const rejected: unknown[] = [];
  await run([ev('DELETED', workloadEntry('ghost', {}))], { onRejected: (r) => rejected.push(r), onNotice: (n, seq) => notices.push(`${seq} ${n.code}`) });
  assert.equal(notices, ['1 INPUT_UNKNOWN_DELETE']);
  assert.equal(rejected, []);
});

test('without onRejected an invalid event errors the stream with the coded error, after the steps before it', async () => {
  const notes = await lastValueFrom(from([ev('ADDED', orders), ev('ADDED', invalid), ev('ADDED', workloadEntry('vm', { app: 'orders' }))])
    .pipe(project(), materialize(), toArray()));
  assert.equal(notes.map((n) => n.kind), ['N', 'E']);
  const error = notes[1]?.kind === 'E' ? notes[1].error : undefined;
  assert.ok(isMeshfoldError(error));
  assert.is(error.code, 'INPUT_INVALID_OBJECT');
  assert.match(error.message, 'ServiceEntry/shop/bad');
});

test('an event carrying a seq keeps it', async () => {
  const step = await firstValueFrom(from([{ ...ev('ADDED', orders), seq: 42 }]).pipe(project()));
  assert.is(step.seq, 42);
});

test('each subscription starts from its own empty state', async () => {
  const stream = from(events).pipe(project({ onRejected: () => {} }), toArray());
  const first = await lastValueFrom(stream);
  const second = await lastValueFrom(stream);
  assert.equal(second.map((s) => s.deltas), first.map((s) => s.deltas));
  assert.is.not(second.at(-1)?.state, first.at(-1)?.state);
});

test.run();
