// Where YAML 1.2 and kubectl's reading differ (sigs.k8s.io/yaml over go-yaml v2: YAML 1.1 scalars,
// merge keys, go-yaml's plain scalars in flow collections): each case is a document, the value
// kubectl gets from it, and what YAML 1.2 would have made of it instead.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { YamlDocumentSplitter } from '@meshfold/core';
import { cliJson, REPO_ROOT, runCli, tempDir, type TempDir } from './support/cli.js';

interface Difference { about: string; yaml: string; kubectl: unknown; yaml12: unknown }

const DIFFERENCES: Difference[] = [
  { about: 'yes/no are booleans', yaml: 'v: [yes, no, Yes, NO]', kubectl: { v: [true, false, true, false] }, yaml12: { v: ['yes', 'no', 'Yes', 'NO'] } },
  { about: 'on/off are booleans', yaml: 'v: [on, Off, ON]', kubectl: { v: [true, false, true] }, yaml12: { v: ['on', 'Off', 'ON'] } },
  { about: 'y/n are booleans, also as keys', yaml: 'y: n', kubectl: { true: false }, yaml12: { y: 'n' } },
  { about: 'a leading 0 is octal', yaml: 'v: 0777', kubectl: { v: 511 }, yaml12: { v: 777 } },
  { about: 'a binary literal is a number', yaml: 'v: 0b101', kubectl: { v: 5 }, yaml12: { v: '0b101' } },
  { about: 'underscores in numbers are dropped', yaml: 'v: 1_000', kubectl: { v: 1000 }, yaml12: { v: '1_000' } },
  {
    about: 'a merge key merges, explicit keys win',
    yaml: 'base: &b {app: api, tier: web}\nlabels:\n  <<: *b\n  tier: db',
    kubectl: { base: { app: 'api', tier: 'web' }, labels: { app: 'api', tier: 'db' } },
    yaml12: { base: { app: 'api', tier: 'web' }, labels: { '<<': { app: 'api', tier: 'web' }, tier: 'db' } },
  },
  {
    about: 'merging a list of maps: the earlier map wins',
    yaml: 'a: &a {k: 1}\nb: &b {k: 2, j: 3}\nc:\n  <<: [*a, *b]',
    kubectl: { a: { k: 1 }, b: { k: 2, j: 3 }, c: { k: 1, j: 3 } },
    yaml12: { a: { k: 1 }, b: { k: 2, j: 3 }, c: { '<<': [{ k: 1 }, { k: 2, j: 3 }] } },
  },
  {
    about: 'a ":" before "]" or "," stays in a plain scalar of a flow collection',
    yaml: 'addresses: [1.2.3.4, 2001:db8::]',
    kubectl: { addresses: ['1.2.3.4', '2001:db8::'] },
    yaml12: { addresses: ['1.2.3.4', { '2001:db8:': null }] },
  },
  { about: 'the same in a flow map', yaml: 'v: {a: 2001:db8::, b: c:}', kubectl: { v: { a: '2001:db8::', b: 'c:' } }, yaml12: { v: { a: { '2001:db8:': null }, b: { 'c:': null } } } },
];

/** Neither YAML 1.1 nor go-yaml reads these differently from YAML 1.2, though YAML 1.1 allows it. */
const SAME: { about: string; yaml: string; value: unknown }[] = [
  { about: 'no base-60 numbers (go-yaml has none)', yaml: 'v: 1:20', value: { v: '1:20' } },
  { about: 'timestamps stay strings (go-yaml into an untyped value)', yaml: 'v: 2001-12-14T21:59:43Z', value: { v: '2001-12-14T21:59:43Z' } },
  { about: 'true/false and null as ever', yaml: 'v: [true, False, ~, null]', value: { v: [true, false, null, null] } },
  { about: 'Go\'s 0o prefix is octal (YAML 1.1 alone would keep a string)', yaml: 'v: 0o17', value: { v: 15 } },
  { about: 'a lone dot is a string, floats need a digit', yaml: 'v: [., .5, 1., 1e3, -2.5E-1]', value: { v: ['.', 0.5, 1, 1000, -0.25] } },
  { about: 'a colon followed by text is part of the scalar', yaml: 'v: [a:b, 2001:db8::1]', value: { v: ['a:b', '2001:db8::1'] } },
  { about: 'a ": " in a flow map is a value indicator', yaml: 'v: {a: {b: [c]}, d: e}', value: { v: { a: { b: ['c'] }, d: 'e' } } },
  { about: 'quoted values are strings', yaml: 'v: ["yes", \'0777\', "2001:db8::"]', value: { v: ['yes', '0777', '2001:db8::'] } },
];

function read(yaml: string): unknown {
  const splitter = new YamlDocumentSplitter();
  const docs = [...splitter.push(`${yaml}\n`), ...splitter.end()];
  assert.is(docs.length, 1);
  assert.is(docs[0]!.error, undefined, docs[0]!.error);
  return docs[0]!.value;
}

for (const d of DIFFERENCES) {
  test(`YAML as kubectl reads it: ${d.about}`, () => {
    assert.not.equal(d.kubectl, d.yaml12, 'a difference case must differ');
    assert.equal(read(d.yaml), d.kubectl);
  });
}
for (const s of SAME) test(`YAML as kubectl reads it, as YAML 1.2 does too: ${s.about}`, () => assert.equal(read(s.yaml), s.value));

test('an error position is still the line of the source after quoting flow scalars', () => {
  const splitter = new YamlDocumentSplitter();
  const [doc] = [...splitter.push('a: [2001:db8::, x]\nb: [unclosed\n'), ...splitter.end()];
  assert.match(doc!.error!, /line [23]/);
});

let dir: TempDir;
test.before(async () => { dir = await tempDir(); });
test.after(async () => { await dir?.remove(); });

test('Istio\'s serviceentry-valid.yaml records with no rejection', async () => {
  const log = dir.join('valid');
  const r = await runCli(['record', '--log', log, join(REPO_ROOT, 'packages', 'replay', 'test', 'fixtures', 'istio', 'serviceentry-valid.yaml')]);
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  const { events } = await cliJson<{ events: { object: { metadata: { name: string }; spec: { addresses?: string[] } } }[] }>(['events', '--log', log, '-o', 'json']);
  const full = events.find((e) => e.object.metadata.name === 'full')!;
  assert.equal(full.object.spec.addresses, ['1.2.3.4', '001:db8::']);
});

test('a label value YAML turns into a boolean is rejected with a message saying so and how to quote it', async () => {
  const r = await runCli(['record', '--log', dir.join('bool'), '-'], { stdin: `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm, namespace: shop}
spec:
  address: 10.0.0.1
  labels: {canary: yes}
` });
  assert.is(r.code, 1);
  assert.match(r.stderr, /spec\.labels\.canary: must be a string, not the boolean true: .*quote the value/);
});

test('a merge key is applied before the object is recorded', async () => {
  const log = dir.join('merge');
  const r = await runCli(['record', '--log', log, '-'], { stdin: `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm, namespace: shop}
spec:
  address: 10.0.0.1
  labels:
    <<: &common {app: api, tier: web}
    tier: db
` });
  assert.is(r.code, 0, r.stderr);
  const { events } = await cliJson<{ events: { object: { spec: { labels: object } } }[] }>(['events', '--log', log, '-o', 'json']);
  assert.equal(events[0]!.object.spec.labels, { app: 'api', tier: 'db' });
});

test.run();
