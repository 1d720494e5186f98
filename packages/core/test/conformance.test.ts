import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { associationsOf, endpointsOf, Projector, stateHash } from '../src/index.js';
import { recomputeView } from '../src/internal/recomputeView.js';
import { assertCheckpoint, checkpointsBySeq, loadScenarios } from './support/conformance.js';

const scenarios = loadScenarios();

test('the conformance folder holds scenarios', () => {
  assert.ok(scenarios.length > 0);
});

for (const scenario of scenarios) {
  test(`conformance ${scenario.file}: ${scenario.name}`, () => {
    const projector = new Projector();
    const checkpoints = checkpointsBySeq(scenario);
    const check = (seq: number): void => {
      const checkpoint = checkpoints.get(seq);
      if (checkpoint) {
        assertCheckpoint(scenario, checkpoint, { endpoints: endpointsOf(projector.state), associations: associationsOf(projector.state) });
      }
      assert.is(projector.hash(), stateHash(recomputeView(projector.view().objects)),
        `${scenario.file} at seq ${seq}: incremental state != state recomputed from its objects`);
    };
    check(0);
    scenario.events.forEach((event, i) => {
      const seq = i + 1;
      assert.is(projector.apply(event).seq, seq);
      check(seq);
    });
  });
}

test.run();
