// `meshfold record` on streams an attacker or an unlucky operator would produce: one poisoned
// event among many must be rejected alone (or recorded whole) and never take its neighbours
// down; closed output streams stop the messages, not the recording; what reaches a terminal
// is escaped and cut.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, linesOf, MESHFOLD_BIN, recordSummary, runCli, tempDir, type TempDir } from './support/cli.js';

let dir: TempDir;
let n = 0;
test.before(async () => { dir = await tempDir(); });
test.after(async () => { await dir?.remove(); });

const we = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
  metadata: { name, namespace: 'shop' }, spec: { address: '10.0.0.1', labels: { app: 'a' } }, ...extra,
});

/** 1500 watch events as NDJSON with `poison` (a line of text) as event 750. */
function streamWith(poison: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 1500; i++) lines.push(i === 750 ? poison : JSON.stringify({ type: 'ADDED', object: we(`w-${i}`) }));
  return `${lines.join('\n')}\n`;
}

let deep: unknown = {};
for (let i = 0; i < 2000; i++) deep = { d: deep };
const wide: Record<string, string> = {};
for (let i = 0; i < 70_000; i++) wide[`k${i}`] = 'v';

/** Poisons rejected alone, and what the message must say. */
const REJECTED: [string, string, RegExp][] = [
  ['a selector key __proto__', JSON.stringify({ type: 'ADDED', object: {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'shop' },
    spec: { hosts: ['se.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: {} } },
  } }).replace('"labels":{}', '"labels":{"__proto__":"x"}'), /__proto__/],
  ['an object nested 2000 deep in status', JSON.stringify({ type: 'ADDED', object: we('poison', { status: deep }) }), /nested more than 64 levels/],
  ['a 5 MB string in status', JSON.stringify({ type: 'ADDED', object: we('poison', { status: { blob: 'x'.repeat(5_000_000) } }) }), /more than \d+ characters/],
  ['a DELETED naming an impossible identity', JSON.stringify({ type: 'DELETED', object: { ...we('a/b'), metadata: { name: 'a/b', namespace: 'x/y' } } }), /DNS-1123/],
];

for (const [what, poison, message] of REJECTED) {
  test(`1500 events with ${what} as event 750: 1499 recorded, the poison rejected alone with its position`, async () => {
    const log = dir.join(`log-${++n}`);
    const r = await runCli(['record', '--log', log, '-'], { stdin: streamWith(poison), timeoutMs: 60_000 });
    assert.is(r.code, 1, r.stderr.slice(0, 500));
    assert.equal(recordSummary(r.stdout), { count: 1499, first: 1, last: 1499, rejected: 1 });
    const lines = linesOf(r.stderr);
    assert.is(lines.length, 1, r.stderr.slice(0, 500));
    assert.match(lines[0]!, /^INPUT_[A-Z_]+: <stdin>: document 750 \(line 751\)/);
    assert.match(lines[0]!, message);
  });
}

test('1500 events with 70 000 labels on event 750 (a valid object): all 1500 recorded, the wide one intact', async () => {
  const log = dir.join(`log-${++n}`);
  const poison = JSON.stringify({ type: 'ADDED', object: { ...we('wide'), metadata: { name: 'wide', namespace: 'shop', labels: wide } } });
  const r = await runCli(['record', '--log', log, '-'], { stdin: streamWith(poison), timeoutMs: 60_000 });
  assert.is(r.code, 0, r.stderr.slice(0, 500));
  assert.equal(recordSummary(r.stdout), { count: 1500, first: 1, last: 1500, rejected: 0 });
  const stored = await cliJson<{ events: { object: { metadata: { labels: object } } }[] }>(['events', '--log', log, '--from', '751', '--to', '751', '-o', 'json']);
  assert.is(Object.keys(stored.events[0]!.object.metadata.labels).length, 70_000);
});

test('YAML: 99 aliases of a 300 kB scalar in status are rejected alone; the documents around it are recorded', async () => {
  const log = dir.join(`log-${++n}`);
  const doc = (name: string, status = '') => `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  address: 10.0.0.1\n${status}`;
  let bomb = `status:\n  big: &big "${'x'.repeat(300_000)}"\n`;
  for (let i = 0; i < 99; i++) bomb += `  a${i}: *big\n`;
  const r = await runCli(['record', '--log', log, '-'], { stdin: [doc('before'), doc('bomb', bomb), doc('after')].join('---\n'), timeoutMs: 60_000 });
  assert.is(r.code, 1, r.stderr.slice(0, 500));
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 1 });
  assert.match(r.stderr, /document 1 .*more than \d+ characters/);
});

test('label keys every object inherits (constructor, toString) select like any other, and why and associations agree', async () => {
  const log = dir.join(`log-${++n}`);
  const workload = { ...we('w'), metadata: { name: 'w', namespace: 'shop', labels: { constructor: 'a' } }, spec: { address: '10.0.0.1', labels: { toString: 'b' } } };
  const se = {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'shop' },
    spec: { hosts: ['se.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: { constructor: 'a', toString: 'b' } } },
  };
  await runCli(['record', '--log', log, '-'], { stdin: [workload, se].map((object) => JSON.stringify({ type: 'ADDED', object })).join('\n') });
  const associations = await cliJson<{ associations: unknown[] }>(['associations', '--log', log, '-o', 'json']);
  assert.equal(associations.associations, [{ serviceEntry: 'shop/se', workloadEntry: 'shop/w' }]);
  const why = await cliJson<{ associated: boolean; reasons: unknown[] }>(['why', '--log', log, 'shop/se', 'shop/w', '-o', 'json']);
  assert.equal([why.associated, why.reasons], [true, []]);
  const text = await runCli(['why', '--log', log, 'shop/se', 'shop/w']);
  assert.not.match(text.stdout, 'function');
});

test('YAML !!omap and !!set values are rejected alone, naming the field; the log verifies', async () => {
  const log = dir.join(`log-${++n}`);
  const doc = (name: string, labels: string) => `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  address: 10.0.0.1\n  labels:${labels}\n`;
  const text = [doc('om', ' !!omap\n    - app: x'), doc('st', ' !!set\n    ? app'), doc('ok', '\n    app: x')].join('---\n');
  const r = await runCli(['record', '--log', log, '-'], { stdin: text });
  assert.equal(recordSummary(r.stdout), { count: 1, first: 1, last: 1, rejected: 2 });
  assert.match(r.stderr, /document 0 .*spec\.labels: a Map is not JSON data/);
  assert.match(r.stderr, /document 1 .*spec\.labels: a Set is not JSON data/);
  assert.is((await runCli(['verify', '--log', log])).code, 0);
});

test('YAML: a 100 000-key mapping is read in linear time (it was quadratic); a repeated key is named with its line', async () => {
  const log = dir.join(`log-${++n}`);
  let text = 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: many\n  namespace: shop\nstatus:\n';
  for (let i = 0; i < 100_000; i++) text += `  k${i}: v\n`;
  text += 'spec:\n  address: 10.0.0.1\n---\napiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata:\n  name: twice\n  name: again\nspec:\n  address: 10.0.0.1\n';
  const r = await runCli(['record', '--log', log, '-'], { stdin: text, timeoutMs: 20_000 });
  assert.equal(recordSummary(r.stdout), { count: 1, first: 1, last: 1, rejected: 1 });
  assert.match(r.stderr, /INPUT_MALFORMED: .*document 1 .*the key "name" appears twice in one mapping \(at line 100014, column 3\)/);
});

test('stderr closed early (2>&1 >/dev/null | head -1): every valid event is still recorded, and the exit status says output was lost', async () => {
  const log = dir.join(`log-${++n}`);
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    // Every other event is invalid, so the recorder has an error line to write for each.
    lines.push(JSON.stringify({ type: 'ADDED', object: i % 2 === 0 ? we(`w-${i}`) : we(`w-${i}`, { spec: { address: '' } }) }));
  }
  const child = spawn(process.execPath, [MESHFOLD_BIN, 'record', '--log', log, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  child.stderr.once('data', () => child.stderr.destroy()); // the reader takes one line and goes away
  child.stdin.on('error', () => {}); // a recorder that died would not read it all
  child.stdin.end(`${lines.join('\n')}\n`);
  const [code] = await once(child, 'close') as [number | null];
  assert.is(code, 1);
  const events = await cliJson<{ events: unknown[] }>(['events', '--log', log, '-o', 'json']);
  assert.is(events.events.length, 1500);
});

test('control characters in messages reach the terminal escaped, and a huge value is cut', async () => {
  const log = dir.join(`log-${++n}`);
  const name = `\u001b[2J${'y'.repeat(1_000_000)}`;
  const bad = we(name, { metadata: { name, namespace: 'shop' } });
  const r = await runCli(['record', '--log', log, '-'], { stdin: `${JSON.stringify({ type: 'ADDED', object: bad })}\n` });
  assert.is(r.code, 1);
  assert.not.match(r.stderr, '\u001b');
  assert.match(r.stderr, '\\x1b[2J');
  for (const line of linesOf(r.stderr)) assert.ok(line.length < 5000, `a line of ${line.length} characters`);
  assert.match(r.stderr, /more characters\)/);
});

test.run();
