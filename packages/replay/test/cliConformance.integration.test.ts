// Every shared conformance scenario, through the CLI: record the events as kubectl prints a watch
// stream, then ask `endpoints` and `associations -o json` at each checkpoint.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// Types only (erased): the loader and comparison are core's, shared with its library test, and
// loaded below from its compiled location so both runners judge a checkpoint the same way.
import type * as Conformance from '../../core/test/support/conformance.js';
import { cliJson, cliOk, recordSummary, REPO_ROOT, tempDir, watchStream } from './support/cli.js';

const conformance = await import(
  pathToFileURL(join(REPO_ROOT, 'packages', 'core', 'dist', 'test', 'support', 'conformance.js')).href
) as typeof Conformance;

const scenarios = conformance.loadScenarios(conformance.conformanceDir(REPO_ROOT));

test('the shared conformance folder has scenarios to run', () => {
  assert.ok(scenarios.length >= 4, `found ${scenarios.length}`);
});

/**
 * Records one scenario into its own log and checks every checkpoint. Checkpoints of one log are
 * queried one after another (a log has one opener at a time); scenarios run side by side.
 */
async function runScenario(scenario: Conformance.Scenario): Promise<void> {
  const dir = await tempDir();
  try {
    const log = dir.join('log');
    const input = await dir.write('watch.json', watchStream(scenario.events));
    const recorded = await cliOk(['record', '--log', log, input]);
    const n = scenario.events.length;
    assert.equal(recordSummary(recorded.stdout), { count: n, first: 1, last: n, rejected: 0 });
    assert.match(recorded.stdout, `recorded ${n} events (seq 1..${n})`);

    for (const checkpoint of scenario.checkpoints) {
      const at = String(checkpoint.seq);
      const eps = await cliJson<{ seq: number; endpoints: object[] }>(['endpoints', '--log', log, '--at', at, '-o', 'json']);
      const assoc = await cliJson<{ seq: number; associations: object[] }>(['associations', '--log', log, '--at', at, '-o', 'json']);
      assert.is(eps.seq, checkpoint.seq, `${scenario.file}: endpoints seq`);
      assert.is(assoc.seq, checkpoint.seq, `${scenario.file}: associations seq`);
      conformance.assertCheckpoint(scenario, checkpoint, { endpoints: eps.endpoints, associations: assoc.associations });
    }
  } finally {
    await dir.remove();
  }
}

// Started together; each test awaits its own scenario (marked handled so that a failure waits
// for its test instead of crashing the run as an unhandled rejection).
const runs = new Map(scenarios.map((s) => {
  const run = runScenario(s);
  run.catch(() => {});
  return [s.file, run] as const;
}));

for (const scenario of scenarios) {
  test(`conformance ${scenario.file}: endpoints and associations at every checkpoint`, async () => {
    await runs.get(scenario.file);
  });
}

test.run();
