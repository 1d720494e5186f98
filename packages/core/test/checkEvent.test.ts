import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkEvent, isMeshfoldError, Projector, type EventType, type KubeObject, type WatchEvent } from '../src/index.js';
import { watchStream } from './support/arbitraries.js';
import { loadValidationCases } from './support/validationCases.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 3;

/** The coded error `run` throws, or undefined; anything else thrown fails the test. */
function errorOf(run: () => unknown): { code: string; message: string } | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (!isMeshfoldError(err)) throw err;
    return { code: err.code, message: err.message };
  }
}

test('checkEvent refuses exactly the events the fold refuses, with the same error, whatever the state', () => {
  fc.assert(fc.property(watchStream(), (events) => {
    const projector = new Projector();
    events.forEach((event, i) => {
      const seq = i + 1;
      assert.equal(errorOf(() => checkEvent(event, seq)), errorOf(() => projector.replay(event, seq)), `event ${seq}`);
      projector.skip(seq);
    });
  }), { numRuns: RUNS });
});

test('checkEvent and the fold agree on every case of the validation tables, as ADDED and as DELETED, and on events that are not ones', () => {
  const odd: WatchEvent[] = [
    { type: 'BOOKMARK' as EventType, object: { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 's', namespace: 'a' } } as KubeObject },
    { type: 'ADDED', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } } as KubeObject },
    { type: 'ADDED', object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: {} } as KubeObject },
  ];
  const cases = loadValidationCases().flatMap((c) => (['ADDED', 'DELETED'] as const).map((type) => ({ type, object: c.object as KubeObject })));
  for (const [i, event] of [...cases, ...odd].entries()) {
    const projector = new Projector();
    assert.equal(errorOf(() => checkEvent(event, i + 1)), errorOf(() => projector.replay(event, i + 1)), JSON.stringify(event).slice(0, 200));
  }
});

test('folding as checked the events checkEvent accepts reaches the state and notices of replaying every event', () => {
  fc.assert(fc.property(watchStream(), (events) => {
    const replayed = new Projector();
    const checked = new Projector();
    events.forEach((event, i) => {
      const seq = i + 1;
      let notice: unknown;
      try {
        notice = replayed.replay(event, seq).notice;
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        replayed.skip(seq);
      }
      if (errorOf(() => checkEvent(event, seq)) === undefined) assert.equal(checked.replay(event, seq, true).notice, notice, `event ${seq}`);
      else checked.skip(seq);
    });
    assert.is(checked.hash(), replayed.hash());
  }), { numRuns: RUNS });
});

test.run();
