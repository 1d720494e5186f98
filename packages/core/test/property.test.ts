import fc from 'fast-check';
import { lastValueFrom, from, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  associationsOf, clustersOf, endpointIdentity, endpointsOf, identityOf, isMeshfoldError, project, objectsOf, Projector, stateHash, type Cluster, type Delta, type EndpointRecord, type ObjectRecord, type WatchEvent,
} from '../src/index.js';
import { recomputeView } from '../src/internal/recomputeView.js';
import { toRecord } from '../src/internal/toRecord.js';
import { watchStream } from './support/arbitraries.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500);

/** What a consumer holds if it only ever applies deltas, like an EDS client. */
class DeltaMirror {
  readonly shards = new Map<string, readonly EndpointRecord[]>();
  readonly associations = new Set<string>();
  readonly clusters = new Map<string, string[]>();

  applyClusters(clusters: readonly Cluster[]): void {
    for (const c of clusters) {
      if (c.endpoints.length === 0) this.clusters.delete(c.name);
      else this.clusters.set(c.name, c.endpoints.map(endpointIdentity));
    }
  }

  apply(deltas: readonly Delta[]): void {
    for (const d of deltas) {
      if (d.type === 'shard-replaced') this.shards.set(`${d.namespace}/${d.host}`, d.endpoints);
      else if (d.type === 'association-added') this.associations.add(`${d.serviceEntry} ${d.workloadEntry}`);
      else if (d.type === 'association-removed') this.associations.delete(`${d.serviceEntry} ${d.workloadEntry}`);
    }
  }

  endpointIds(): string[] {
    return [...this.shards.values()].flat().map(endpointIdentity).sort();
  }
}

/** The live objects, tracked naively from the events with no help from the fold. */
function trackLive(live: Map<string, ObjectRecord>, event: WatchEvent, seq: number): void {
  const key = identityOf(event.object, seq);
  if (event.type === 'DELETED') live.delete(key);
  else live.set(key, toRecord(event.object));
}

test('after every event, incremental state == state recomputed from the live objects == delta-free replay, and delta consumers agree', () => {
  fc.assert(fc.property(watchStream(), (events) => {
    const projector = new Projector();
    const replayer = new Projector(); // the delta-free path replay uses
    const live = new Map<string, ObjectRecord>();
    const mirror = new DeltaMirror();
    events.forEach((event, i) => {
      const seq = i + 1;
      const before = projector.hash();
      let valid = true;
      try { trackLive(live, event, seq); } catch (err) { valid = !isMeshfoldError(err); }
      if (!valid) {
        assert.throws(() => projector.apply(event, seq), (e: unknown) => isMeshfoldError(e) && e.code === 'INPUT_INVALID_OBJECT');
        assert.is(projector.hash(), before, `seq ${seq}: an invalid object changed the state`);
        return;
      }
      const { deltas, clusters } = projector.apply(event, seq);
      replayer.replay(event, seq);
      mirror.apply(deltas);
      mirror.applyClusters(clusters);

      const hash = projector.hash();
      assert.is(hash, stateHash(recomputeView(live.values())), `seq ${seq}: incremental != from scratch`);
      assert.is(replayer.hash(), hash, `seq ${seq}: replay without deltas != apply`);
      if (hash === before) assert.is(deltas.length, 0, `seq ${seq}: deltas emitted for a change that changed nothing`);
      assert.equal(mirror.endpointIds(), endpointsOf(projector.state).map(endpointIdentity).sort(), `seq ${seq}: EDS deltas drifted`);
      assert.equal([...mirror.associations].sort(),
        associationsOf(projector.state).map((a) => `${a.serviceEntry} ${a.workloadEntry}`).sort(), `seq ${seq}: association deltas drifted`);
      assert.equal([...mirror.clusters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), clustersOf(projector.state).filter((c) => c.endpoints.length > 0)
        .map((c) => [c.name, c.endpoints.map(endpointIdentity)]), `seq ${seq}: cluster updates drifted`);
      assert.is(Projector.fromSnapshot(projector.toSnapshot()).hash(), hash, `seq ${seq}: snapshot round-trip`);
    });
  }), { numRuns: RUNS });
});

test('a bulk replay, committed at any points, reaches the states and reports of replaying event by event', () => {
  fc.assert(fc.property(watchStream(), fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (events, commits) => {
    const one = new Projector();
    const bulk = new Projector();
    const replay = bulk.bulkReplay();
    const expected: string[] = [];
    const reported: string[] = [];
    events.forEach((event, i) => {
      const seq = i + 1;
      try {
        const { notice } = one.replay(event, seq);
        if (notice) expected.push(`${seq} ${notice.code} ${notice.message}`);
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        one.skip(seq);
        expected.push(`${seq} ${err.code} ${err.message}`);
      }
      try {
        const notice = replay.add(event, seq);
        if (notice) reported.push(`${seq} ${notice.code} ${notice.message}`);
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        replay.skip(seq);
        reported.push(`${seq} ${err.code} ${err.message}`);
      }
      if (commits[i % commits.length]) {
        replay.commit();
        assert.is(bulk.seq, seq);
        assert.is(bulk.hash(), one.hash(), `seq ${seq}: bulk replay != replay`);
      }
    });
    replay.commit();
    assert.is(bulk.hash(), one.hash(), 'at the end: bulk replay != replay');
    assert.is(bulk.seq, one.seq);
    assert.equal(reported, expected);
  }), { numRuns: RUNS });
});

test('the RxJS pipeline reaches the same state as the Projector for any stream', async () => {
  await fc.assert(fc.asyncProperty(watchStream(), async (events) => {
    const projector = new Projector();
    events.forEach((event, i) => { try { projector.apply(event, i + 1); } catch { /* rejected, as below */ } });
    const followed = new Projector();
    await lastValueFrom(from(events).pipe(project({ from: () => followed, onRejected: () => {} }), toArray()));
    assert.is(stateHash(recomputeView(objectsOf(followed.state))), projector.hash());
  }), { numRuns: Math.ceil(RUNS / 5) });
});

test.run();
