// The validation tables in conformance/validation, through the library: every case Istio's own tests
// list for ServiceEntry and WorkloadEntry, and the rules of the CRD schema, the API server's metadata
// checks and the webhook's edges, judged by validateObject exactly as a real cluster would judge it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateObject } from '../src/validateObject.js';
import { loadValidationCases } from './support/validationCases.js';

const cases = loadValidationCases();

test('the tables hold Istio\'s ported cases and the schema, metadata and webhook-edge rules', () => {
  const count = (prefix: string) => cases.filter((c) => c.label.startsWith(prefix)).length;
  assert.is(count('istio-tests.json#se-'), 62);
  assert.is(count('istio-tests.json#we-'), 8);
  assert.ok(count('crd-rules.json') >= 80);
  assert.ok(count('metadata-rules.json') >= 25);
  assert.ok(count('webhook-rules.json') >= 35);
});

test('validateObject accepts exactly the cases a cluster accepts', () => {
  const wrong: string[] = [];
  for (const c of cases) {
    const issues = validateObject(c.object);
    const verdict = issues.length === 0 ? 'accept' : 'reject';
    if (verdict !== c.expect) {
      wrong.push(`${c.label} (${c.source}): expected ${c.expect}, got ${verdict} ${JSON.stringify(issues).slice(0, 300)}`);
    }
  }
  assert.equal(wrong, [], `${wrong.length} of ${cases.length} cases judged differently:\n${wrong.join('\n')}`);
});

test.run();
