import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pack, unpack } from 'msgpackr';
import { Projector, PROJECTOR_VERSION, type ProjectorSnapshot, type WatchEvent } from '@meshfold/core';
import { EventLog, LIVE_OBJECTS_PER_SNAPSHOT_EVENT, loadState, ProjectedLog, replayOnto, type StoreReport } from '../src/index.js';
import { labelled, selectingService } from './support/selection.js';

const we = (name: string, app: string): WatchEvent => labelled(name, app);
const se = selectingService;

async function recorded(reports: StoreReport[]): Promise<{ log: EventLog; expected: string }> {
  const log = await EventLog.openMemory({ onReport: (r) => reports.push(r) });
  const projected = await ProjectedLog.open(log, { snapshotEvery: 2 });
  await projected.record([se, we('w1', 'a'), we('w2', 'a'), we('w3', 'b')]);
  return { log, expected: projected.projector.hash() };
}

test('a snapshot whose content does not match its digest is reported and the state comes from the events', async () => {
  const reports: StoreReport[] = [];
  const { log, expected } = await recorded(reports);
  const honest = Projector.fromSnapshot({ seq: 4, objects: new Projector().toSnapshot().objects }).toSnapshot();
  await log.putSnapshot(4, { projectorVersion: PROJECTOR_VERSION, hash: 'not-the-digest', state: honest });
  const loaded = await loadState(log, 4, { onReport: (r) => reports.push(r) });
  assert.is(loaded.hash(), expected);
  assert.ok(reports.some((r) => r.code === 'STORE_SNAPSHOT_REJECTED' && r.seq === 4), JSON.stringify(reports));
  await log.close();
});

for (const [what, objects] of [
  ['bytes that are not msgpack', Uint8Array.of(0xc1, 0x00)],
  ['msgpack that is not a snapshot', pack([1, 2])],
  ['text that is not JSON (as snapshots were written before)', '[{"kind": broken'],
] as const) {
  test(`a snapshot whose objects are ${what} is refused, not thrown`, async () => {
    const reports: StoreReport[] = [];
    const { log, expected } = await recorded(reports);
    const state = { seq: 4, objects };
    await log.putSnapshot(4, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(state), state });
    assert.is((await loadState(log, 4, { onReport: (r) => reports.push(r) })).hash(), expected);
    assert.ok(reports.some((r) => r.code === 'STORE_SNAPSHOT_REJECTED' && r.seq === 4), JSON.stringify(reports));
    await log.close();
  });
}

test('a snapshot written as JSON text, as meshfold wrote them before, is loaded as it is', async () => {
  const reports: StoreReport[] = [];
  const { log, expected } = await recorded(reports);
  const written = (await log.snapshotAtOrBefore(4, PROJECTOR_VERSION))!.state as ProjectorSnapshot;
  // The earlier writer's text was JSON.stringify of the value the bytes now hold.
  // A delta of the full snapshot at seq 2, itself left as bytes: a chain may hold both.
  assert.is(written.base, 2);
  const state = { ...written, objects: JSON.stringify(unpack(written.objects as Uint8Array)) };
  assert.match(state.objects, /^\{"tables":\[.*\],"services":\[.*\],"workloads":\[.*\],"removed":\[.*\]\}$/);
  await log.putSnapshot(4, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(state), state });
  const reads: number[] = [];
  const original = log.readBatches.bind(log);
  log.readBatches = (range = {}) => { reads.push(range.from ?? 1); return original(range); };
  assert.is((await loadState(log, 4, { onReport: (r) => reports.push(r) })).hash(), expected);
  assert.equal(reports, []);
  assert.ok(reads.every((from) => from > 4), `read from ${reads.join(',')}`);
  await log.close();
});

test('snapshots of another projector version are not used', async () => {
  const reports: StoreReport[] = [];
  const { log, expected } = await recorded(reports);
  const empty = Projector.fromSnapshot({ seq: 4, objects: new Projector().toSnapshot().objects }).toSnapshot();
  await log.putSnapshot(4, { projectorVersion: 'meshfold-projector/0', hash: Projector.digest(empty), state: empty });
  assert.is((await loadState(log, 4)).hash(), expected);
  await log.close();
});

test('loading starts from the snapshot: events before it are not read', async () => {
  const reports: StoreReport[] = [];
  const { log, expected } = await recorded(reports);
  const reads: number[] = [];
  const original = log.readBatches.bind(log);
  log.readBatches = (range = {}) => { reads.push(range.from ?? 1); return original(range); };
  assert.is((await loadState(log, 4)).hash(), expected);
  assert.ok(reads.every((from) => from > 2), `read from ${reads.join(',')}`);
  await log.close();
});


test('an event falsely logged as checked fails replay as a corrupt log instead of entering the state', async () => {
  const log = await EventLog.openMemory();
  const invalid: WatchEvent = { type: 'ADDED', object: { ...we('w9', 'a').object, spec: { address: 'not an address!' } } };
  await log.append([se, invalid], { checkedBy: PROJECTOR_VERSION });
  const failure = await loadState(log, 2).then(() => undefined, (err: unknown) => err as { code?: string; message?: string });
  assert.is(failure?.code, 'STORE_CORRUPT_VALUE');
  assert.match(failure?.message ?? '', 'WorkloadEntry/ns/w9');
  await log.close();
});

test('appends record which seqs a projector version checked, across reopening', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshfold-checked-'));
  let log = await EventLog.openDir(dir);
  await log.append([se], { checkedBy: 'v1' });
  await log.append([we('w1', 'a')], { checkedBy: 'v1' });
  await log.append([we('w2', 'a')]);
  await log.append([we('w3', 'a')], { checkedBy: 'v2' });
  const expected = [{ from: 1, to: 2, version: 'v1' }, { from: 4, to: 4, version: 'v2' }];
  assert.equal(log.checkedRanges, expected);
  await log.close();
  log = await EventLog.openDir(dir);
  assert.equal(log.checkedRanges, expected);
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

test('snapshots are taken at the seq the spacing is reached, within a batch too', async () => {
  const log = await EventLog.openMemory();
  const projected = await ProjectedLog.open(log, { snapshotEvery: 3 });
  await projected.record(Array.from({ length: 10 }, (_, i) => we(`w${i}`, 'a')));
  assert.equal((await log.listSnapshots()).map((s) => s.seq), [3, 6, 9]);
  // Each is the state at its own seq, not at the end of the batch.
  for (const seq of [3, 6, 9]) assert.is((await loadState(log, seq)).hash(), (await replayOnto(log, new Projector(), seq)).hash(), `at seq ${seq}`);
  await log.close();
});

test('snapshots are spaced snapshotEvery events apart, or a share of the live objects when that is more', async () => {
  const K = LIVE_OBJECTS_PER_SNAPSHOT_EVENT;
  const log = await EventLog.openMemory();
  const projected = await ProjectedLog.open(log, { snapshotEvery: 1 });
  for (let i = 1; i <= 2 * K + 12; i++) await projected.record([we(`w${i}`, 'a')]);
  // Up to K live objects a snapshot per event; then every ceil(live / K) events: 2, then 3.
  const expected = [
    ...Array.from({ length: K }, (_, i) => i + 1), ...Array.from({ length: K / 2 }, (_, i) => K + 2 + 2 * i),
    ...[3, 6, 9, 12].map((n) => 2 * K + n),
  ];
  assert.equal((await log.listSnapshots()).map((s) => s.seq), expected);
  await log.close();
});

test.run();
