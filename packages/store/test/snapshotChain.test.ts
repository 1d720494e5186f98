// Writers take a full snapshot, then deltas of what changed (see SnapshotChain); loading follows
// a delta down to its full snapshot, and a chain that is broken is refused, never half-used.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unpack } from 'msgpackr';
import { Projector, PROJECTOR_VERSION, type ProjectorSnapshot, type WatchEvent } from '@meshfold/core';
import { EventLog, loadState, ProjectedLog, replayOnto, type StoreReport } from '../src/index.js';
import { MAX_DELTAS } from '../src/SnapshotChain.js';
import { labelled, selectingService } from './support/selection.js';

const we = (type: WatchEvent['type'], name: string, app: string): WatchEvent => labelled(name, app, type);
const se = selectingService;

/**
 * A ServiceEntry and 15 workloads, then one change per event (relabels, a delete, a re-add), a
 * snapshot after every 2 events: few objects change between two snapshots, so deltas are taken.
 */
async function recorded(log: EventLog): Promise<string[]> {
  const projected = await ProjectedLog.open(log, { snapshotEvery: 2 });
  const hashes = [new Projector().hash()];
  const events = [se, ...Array.from({ length: 15 }, (_, i) => we('ADDED', `w${i}`, 'a'))];
  for (let i = 0; i < 14; i++) events.push(we('MODIFIED', `w${i % 5}`, i % 2 === 0 ? 'b' : 'a'));
  events.push(we('DELETED', 'w7', 'a'), we('MODIFIED', 'w1', 'c'), we('ADDED', 'w7', 'b'), we('DELETED', 'w8', 'a'));
  for (const event of events) {
    await projected.record([event]);
    hashes.push(projected.projector.hash());
  }
  return hashes;
}

async function snapshotStates(log: EventLog): Promise<ProjectorSnapshot[]> {
  const out: ProjectorSnapshot[] = [];
  for (const { seq } of await log.listSnapshots()) out.push((await log.snapshotAtOrBefore(seq, PROJECTOR_VERSION))!.state as ProjectorSnapshot);
  return out;
}

test('after a full snapshot come at most MAX_DELTAS deltas, each of the one before it, and the state at every seq loads as replay gives it', async () => {
  const log = await EventLog.openMemory();
  const hashes = await recorded(log);
  const states = await snapshotStates(log);
  const deltas = states.filter((s) => s.base !== undefined);
  assert.ok(deltas.length >= states.length / 2, `mostly deltas: ${states.map((s) => s.base ?? 'full').join(' ')}`);
  let run = 0;
  states.forEach((s, i) => {
    if (s.base === undefined) {
      run = 0;
      return;
    }
    run++;
    assert.ok(run <= MAX_DELTAS, `no more than ${MAX_DELTAS} deltas in a row`);
    assert.is(s.base, states[i - 1]!.seq, 'a delta of the snapshot before it');
  });
  assert.is(states[0]!.base, undefined, 'the first is full');
  for (let seq = 0; seq <= log.lastSeq; seq++) assert.is((await loadState(log, seq)).hash(), hashes[seq], `at seq ${seq}`);
  await log.close();
});

test('a delta holds only the objects changed since its base, and the keys of those removed', async () => {
  const log = await EventLog.openMemory();
  await recorded(log);
  const states = await snapshotStates(log);
  // Events 31 and 32: w7 deleted, w1 relabelled; the snapshot before them is at seq 30.
  const delta = states.find((s) => s.seq === 32)!;
  assert.is(delta.base, 30);
  const { services, workloads, removed } = unpack(delta.objects as Uint8Array) as { services: unknown[]; workloads: [number, string][]; removed: string[] };
  assert.equal(services, []);
  assert.equal(workloads.map(([, name]) => name), ['w1']);
  assert.equal(removed, ['WorkloadEntry/ns/w7']);
  await log.close();
});

test('a delta whose base the log does not hold is refused with its reason, and the state comes from an earlier snapshot and the events', async () => {
  const log = await EventLog.openMemory();
  const hashes = await recorded(log);
  const last = (await snapshotStates(log)).filter((s) => s.base !== undefined).at(-1)!;
  // A foreign writer's delta of a seq that has no snapshot.
  const orphan = { seq: last.seq, base: last.base! - 1, objects: last.objects };
  await log.putSnapshot(orphan.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(orphan), state: orphan });
  const reports: StoreReport[] = [];
  const loaded = await loadState(log, last.seq, { onReport: (r) => reports.push(r) });
  assert.is(loaded.hash(), hashes[last.seq]);
  assert.equal(reports.map((r) => [r.code, r.seq]), [['STORE_SNAPSHOT_REJECTED', last.seq]]);
  assert.match(reports[0]!.message, `is a delta of the snapshot at seq ${orphan.base}, which the log does not hold`);
  await log.close();
});

test('a delta whose base does not match its digest is refused, and so is a delta loaded as a full snapshot', async () => {
  const log = await EventLog.openMemory();
  const hashes = await recorded(log);
  const states = await snapshotStates(log);
  const last = states.filter((s) => s.base !== undefined).at(-1)!;
  const base = states.find((s) => s.seq === last.base)!;
  await log.putSnapshot(base.seq, { projectorVersion: PROJECTOR_VERSION, hash: 'not-the-digest', state: base });
  const reports: StoreReport[] = [];
  assert.is((await loadState(log, last.seq, { onReport: (r) => reports.push(r) })).hash(), hashes[last.seq]);
  assert.match(reports[0]!.message, `snapshot at seq ${last.seq} is a delta of the snapshot at seq ${base.seq}, which does not match the digest it was written with`);
  assert.throws(() => Projector.fromSnapshot(last), /is a delta/);
  // Its digest says it is a delta: the same objects passed off as a full snapshot do not match it.
  assert.is.not(Projector.digest({ seq: last.seq, objects: last.objects }), Projector.digest(last));
  await log.close();
});

test('a snapshot between a delta and its base is passed over: the chain is followed by base, not by position', async () => {
  const log = await EventLog.openMemory();
  const hashes = await recorded(log);
  const delta = (await snapshotStates(log)).filter((s) => s.base !== undefined).at(-1)!;
  // Another writer's full snapshot of the empty state, between the two, under a matching digest:
  // taken as the delta's base, it would lose every object the delta does not name.
  const between = Projector.fromSnapshot({ ...new Projector().toSnapshot(), seq: delta.base! + 1 }).toSnapshot();
  assert.ok(between.seq < delta.seq);
  await log.putSnapshot(between.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(between), state: between });
  const reports: StoreReport[] = [];
  assert.is((await loadState(log, delta.seq, { onReport: (r) => reports.push(r) })).hash(), hashes[delta.seq]);
  assert.equal(reports, []);
  await log.close();
});

test('a chain of more snapshots than any writer makes is not followed: the state comes from the events', async () => {
  const log = await EventLog.openMemory();
  const events = Array.from({ length: 80 }, (_, i) => we('ADDED', `w${i}`, 'a'));
  await log.append(events);
  // A full snapshot at seq 1, then a delta at every seq after it, each of the one before.
  const projector = new Projector();
  for (const [i, event] of events.entries()) {
    const seq = i + 1;
    const { change } = projector.replay(event, seq);
    const state = seq === 1 ? projector.toSnapshot() : projector.toDelta(seq - 1, [change!.key]);
    await log.putSnapshot(seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(state), state });
  }
  const reports: StoreReport[] = [];
  assert.is((await loadState(log, 20, { onReport: (r) => reports.push(r) })).hash(), (await replayOnto(log, new Projector(), 20)).hash());
  assert.equal(reports, []);
  assert.is((await loadState(log, 80, { onReport: (r) => reports.push(r) })).hash(), projector.hash());
  assert.ok(reports.length > 0 && reports.every((r) => r.code === 'STORE_SNAPSHOT_REJECTED' && /is a delta of more than \d+ snapshots/.test(r.message)), JSON.stringify(reports.slice(0, 2)));
  await log.close();
});

test('a writer snapshotting twice at one seq takes a full snapshot, never a delta of itself', async () => {
  const log = await EventLog.openMemory();
  const projected = await ProjectedLog.open(log, { snapshotEvery: 1000 });
  await projected.record([se, we('ADDED', 'w1', 'a'), we('ADDED', 'w2', 'a')]);
  await projected.snapshot();
  await projected.snapshot();
  const [only] = await snapshotStates(log);
  assert.is(only!.base, undefined);
  assert.is((await replayOnto(log, new Projector(), 3)).hash(), (await loadState(log, 3)).hash());
  await log.close();
});

test.run();
