// `meshfold record` on inputs in the formats kubectl and people actually produce, each into a
// fresh log directory: what gets recorded, what is reported (file, document index, code), and the
// exit status. The rule under test: bad input is reported with its position, nothing valid is lost.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  cliJson, cliOk, linesOf, recordSummary, runCli, tempDir, watchStream, type TempDir,
} from './support/cli.js';

interface LoggedEvent { seq: number; type: string; object: { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } }

let dir: TempDir;
let n = 0;
/** A log directory of its own for each test. */
const newLog = () => dir.join(`log-${++n}`);

test.before(async () => { dir = await tempDir(); });
test.after(async () => { await dir?.remove(); });

/** `seq TYPE Kind/ns/name` for every event in the log. */
async function eventsOf(log: string): Promise<string[]> {
  const r = await cliJson<{ events: LoggedEvent[] }>(['events', '--log', log, '-o', 'json']);
  return r.events.map((e) => `${e.seq} ${e.type} ${e.object.kind}/${e.object.metadata.namespace}/${e.object.metadata.name}`);
}

function serviceEntry(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace: 'shop', resourceVersion: '48211', uid: `uid-${name}`, creationTimestamp: '2024-05-02T10:41:07Z' },
    spec: {
      hosts: [`${name}.shop.internal`],
      ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }],
      location: 'MESH_INTERNAL',
      resolution: 'STATIC',
      workloadSelector: { labels: { app: name } },
      ...extra,
    },
  };
}

function workloadEntry(name: string, app: string, apiVersion = 'networking.istio.io/v1') {
  return {
    apiVersion,
    kind: 'WorkloadEntry',
    metadata: { name, namespace: 'shop', resourceVersion: '48212', uid: `uid-${name}` },
    spec: { address: '10.0.0.1', labels: { app }, ports: { http: 9080 } },
  };
}

const MIXED_YAML_WITH_INVALID = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments
  namespace: shop
spec:
  hosts: [payments.shop.internal]
  ports: [{name: http, number: 8080, protocol: HTTP}]
  resolution: STATIC
  workloadSelector:
    labels: {app: payments}
---
# both a selector and inline endpoints: Istio's webhook rejects this
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: broken
  namespace: shop
spec:
  hosts: [broken.shop.internal]
  ports: [{name: http, number: 80, protocol: HTTP}]
  resolution: STATIC
  workloadSelector:
    labels: {app: broken}
  endpoints:
  - address: 10.9.9.9
---
apiVersion: networking.istio.io/v1beta1
kind: WorkloadEntry
metadata:
  name: vm-1
  namespace: shop
spec:
  address: 10.0.0.1
  labels: {app: payments}
`;

const PLAIN_YAML = `apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata: {name: payments, namespace: shop}
spec:
  hosts: [payments.shop.internal]
  ports: [{name: http, number: 8080, protocol: HTTP}]
  resolution: STATIC
  workloadSelector: {labels: {app: payments}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: shop}
spec: {address: 10.0.0.1, labels: {app: payments}}
`;

// ---- formats ----------------------------------------------------------------------------------

test('a pretty-printed kubectl watch stream: every event recorded in order with its type, exit 0', async () => {
  const log = newLog();
  const file = await dir.write('watch.json', watchStream([
    { type: 'ADDED', object: serviceEntry('payments') },
    { type: 'ADDED', object: workloadEntry('vm-1', 'payments') },
    { type: 'MODIFIED', object: workloadEntry('vm-1', 'other') },
    { type: 'DELETED', object: workloadEntry('vm-1', 'other') },
  ]));
  const r = await cliOk(['record', '--log', log, file]);
  assert.equal(recordSummary(r.stdout), { count: 4, first: 1, last: 4, rejected: 0 });
  assert.is(r.stderr, '');
  assert.equal(await eventsOf(log), [
    '1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1',
    '3 MODIFIED WorkloadEntry/shop/vm-1', '4 DELETED WorkloadEntry/shop/vm-1',
  ]);
});

test('NDJSON watch events (kubectl -w without pretty printing) are recorded too', async () => {
  const log = newLog();
  const file = await dir.write('watch.ndjson', [
    { type: 'ADDED', object: serviceEntry('payments') },
    { type: 'ADDED', object: workloadEntry('vm-1', 'payments') },
  ].map((e) => JSON.stringify(e)).join('\n'));
  assert.equal(recordSummary((await cliOk(['record', '--log', log, file])).stdout), { count: 2, first: 1, last: 2, rejected: 0 });
});

test('a List (kubectl get -o json): one ADDED event per item, and its objects project', async () => {
  const log = newLog();
  const file = await dir.write('list.json', JSON.stringify({
    apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' },
    items: [serviceEntry('payments'), workloadEntry('vm-1', 'payments'), workloadEntry('vm-2', 'payments', 'networking.istio.io/v1alpha3')],
  }, null, 4));
  const r = await cliOk(['record', '--log', log, file]);
  assert.equal(recordSummary(r.stdout), { count: 3, first: 1, last: 3, rejected: 0 });
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1', '3 ADDED WorkloadEntry/shop/vm-2']);
  const assoc = await cliJson<{ associations: { workloadEntry: string }[] }>(['associations', '--log', log, '-o', 'json']);
  assert.equal(assoc.associations.map((a) => a.workloadEntry), ['shop/vm-1', 'shop/vm-2']);
});

test('a typed ServiceEntryList: items without kind/apiVersion take them from the list', async () => {
  const log = newLog();
  const { apiVersion: _a, kind: _k, ...bare } = serviceEntry('payments');
  const file = await dir.write('selist.json', JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntryList', items: [bare] }, null, 2));
  await cliOk(['record', '--log', log, file]);
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments']);
});

// ---- rejections -------------------------------------------------------------------------------

test('multi-doc YAML with an invalid ServiceEntry in the middle: the others recorded, one line naming file, document 1 and INPUT_INVALID_OBJECT, exit 1', async () => {
  const log = newLog();
  const file = await dir.write('mixed.yaml', MIXED_YAML_WITH_INVALID);
  const r = await runCli(['record', '--log', log, file]);
  assert.is(r.code, 1);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 1 });
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, file);
  assert.match(lines[0]!, /document 1\b/);
  assert.match(lines[0]!, 'INPUT_INVALID_OBJECT');
  assert.match(lines[0]!, 'shop/broken');
  assert.match(lines[0]!, 'workloadSelector');
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
  const eps = await cliJson<{ endpoints: { address: string; port: number; host: string }[] }>(['endpoints', '--log', log, '-o', 'json']);
  assert.equal(eps.endpoints.map((e) => `${e.host} ${e.address}:${e.port}`), ['payments.shop.internal 10.0.0.1:8080']);
});

test('a Kubernetes v1 Service among Istio objects: skipped with a warning naming it, counted apart from rejections, the rest recorded, exit 0', async () => {
  const log = newLog();
  const file = await dir.write('with-service.yaml', `${PLAIN_YAML}---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: shop}
spec:
  selector: {app: payments}
  ports: [{name: http, port: 8080, targetPort: 9080}]
`);
  const r = await runCli(['record', '--log', log, file]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 0, skipped: 1 });
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^warning: INPUT_UNSUPPORTED_KIND: /);
  assert.match(lines[0]!, /; skipped$/);
  assert.match(lines[0]!, `${file}: document 2`);
  assert.match(lines[0]!, 'Service');
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
});

test('a watch stream with BOOKMARKs and an object of another kind: nothing rejected, exit 0', async () => {
  const log = newLog();
  const file = await dir.write('bookmarks.json', watchStream([
    { type: 'ADDED', object: serviceEntry('payments') },
    { type: 'BOOKMARK', object: { kind: 'ServiceEntry', apiVersion: 'networking.istio.io/v1', metadata: { resourceVersion: '48300' } } },
    { type: 'ADDED', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: {} } },
    { type: 'ADDED', object: workloadEntry('vm-1', 'payments') },
  ]));
  const r = await runCli(['record', '--log', log, file]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 0, skipped: 1 });
  assert.equal(linesOf(r.stderr).map((l) => l.slice(0, 33)), ['warning: INPUT_UNSUPPORTED_KIND: ']);
});

test('a file of garbage bytes: one INPUT_ error naming the file, nothing appended, exit 1', async () => {
  const log = newLog();
  const file = await dir.write('garbage.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x7b, 0x01, 0x80]));
  const r = await runCli(['record', '--log', log, file]);
  assert.is(r.code, 1);
  assert.equal(recordSummary(r.stdout), { count: 0, rejected: 1 });
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^INPUT_[A-Z_]+: /);
  assert.match(lines[0]!, file);
});

test('garbage between watch events (a kubectl error line): reported, and both events around it recorded', async () => {
  const log = newLog();
  const file = await dir.write('garbage-between.json',
    `${JSON.stringify({ type: 'ADDED', object: serviceEntry('payments') }, null, 4)}\n`
    + 'E0502 10:42:13.120031   4711 reflector.go:147] watch ended with: an error on the server\n'
    + '\u0000\u00ff binary }{ junk\n'
    + `${JSON.stringify({ type: 'ADDED', object: workloadEntry('vm-1', 'payments') }, null, 4)}\n`);
  const r = await runCli(['record', '--log', log, file]);
  assert.is(r.code, 1);
  const summary = recordSummary(r.stdout);
  assert.is(summary.count, 2);
  assert.ok(summary.rejected >= 1);
  assert.ok(linesOf(r.stderr).every((l) => /^INPUT_MALFORMED: /.test(l) && l.includes(file)), r.stderr);
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
});

test('a garbage file between two good files: both good files recorded, exit 1', async () => {
  const log = newLog();
  const a = await dir.write('a.json', watchStream([{ type: 'ADDED', object: serviceEntry('payments') }]));
  const junk = await dir.write('junk.bin', Buffer.from([0x00, 0x01, 0x02, 0xff]));
  const b = await dir.write('b.yaml', PLAIN_YAML.split('---\n')[1]!);
  const r = await runCli(['record', '--log', log, a, junk, b]);
  assert.is(r.code, 1);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 1 });
  assert.match(r.stderr, junk);
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
});

test('a missing input file is a one-line INPUT_UNREADABLE error naming it, and the other files are still recorded', async () => {
  const log = newLog();
  const a = await dir.write('present.json', watchStream([{ type: 'ADDED', object: serviceEntry('payments') }]));
  const missing = dir.join('missing.json');
  const r = await runCli(['record', '--log', log, a, missing]);
  assert.ok(r.code !== 0);
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, missing);
  assert.match(lines[0]!, /^INPUT_UNREADABLE: .*no such file/);
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments'], 'the readable file is not lost');
});

test('a directory among the inputs is INPUT_UNREADABLE naming it, and the inputs after it are still recorded', async () => {
  const log = newLog();
  const a = await dir.write('before-dir.json', watchStream([{ type: 'ADDED', object: serviceEntry('payments') }]));
  const folder = dir.join('a-folder');
  mkdirSync(folder);
  const b = await dir.write('after-dir.yaml', PLAIN_YAML.split('---\n')[1]!);
  const r = await runCli(['record', '--log', log, a, folder, b]);
  assert.is(r.code, 1);
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^INPUT_UNREADABLE: /);
  assert.match(lines[0]!, folder);
  assert.match(lines[0]!, 'directory');
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 1 });
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
});

test('a FIFO whose writer closes half-way through a document: the whole events before the cut are kept, the cut is reported', async () => {
  const log = newLog();
  const fifo = dir.join('cut.fifo');
  execFileSync('mkfifo', [fifo]);
  const text = watchStream([
    { type: 'ADDED', object: serviceEntry('payments') },
    { type: 'ADDED', object: serviceEntry('orders') },
  ]);
  const cut = text.slice(0, text.lastIndexOf('"orders"'));
  const b = await dir.write('after-fifo.yaml', PLAIN_YAML.split('---\n')[1]!);
  const running = runCli(['record', '--log', log, fifo, b]);
  await writeFile(fifo, cut); // waits until the recorder opens the FIFO, then closes it early
  const r = await running;
  assert.is(r.code, 1);
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^INPUT_MALFORMED: /);
  assert.match(lines[0]!, fifo);
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
});

test('an empty file: exit 0, 0 events recorded, no errors', async () => {
  const log = newLog();
  const file = await dir.write('empty.json', '');
  const r = await cliOk(['record', '--log', log, file]);
  assert.equal(recordSummary(r.stdout), { count: 0, rejected: 0 });
  assert.is(r.stderr, '');
  const eps = await cliJson(['endpoints', '--log', log, '-o', 'json']);
  assert.equal(eps, { seq: 0, endpoints: [] });
});

test('events on a log with no events lists nothing (not an error)', async () => {
  const log = newLog();
  await cliOk(['record', '--log', log, await dir.write('empty2.json', '\n\n')]);
  const r = await runCli(['events', '--log', log, '-o', 'json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { events: unknown[] }).events, []);
});

// ---- stdin, --delete, continuing a log ---------------------------------------------------------

test('stdin with `-`: the watch stream piped in is recorded', async () => {
  const log = newLog();
  const r = await cliOk(['record', '--log', log, '-'], {
    stdin: watchStream([{ type: 'ADDED', object: serviceEntry('payments') }, { type: 'ADDED', object: workloadEntry('vm-1', 'payments') }]),
  });
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 0 });
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1']);
});

test('stdin with no file argument: YAML piped in is recorded, and rejections name <stdin>', async () => {
  const log = newLog();
  const r = await runCli(['record', '--log', log], { stdin: MIXED_YAML_WITH_INVALID });
  assert.is(r.code, 1);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 1 });
  assert.match(r.stderr, /^INPUT_INVALID_OBJECT: <stdin>: document 1 /m);
});

test('--delete with YAML records the plain objects as deletions, leaving no endpoints or associations', async () => {
  const log = newLog();
  const file = await dir.write('plain.yaml', PLAIN_YAML);
  await cliOk(['record', '--log', log, file]);
  const before = await cliJson<{ associations: unknown[] }>(['associations', '--log', log, '-o', 'json']);
  assert.is(before.associations.length, 1);
  const r = await cliOk(['record', '--log', log, '--delete', file]);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 3, last: 4, rejected: 0 });
  assert.equal(await eventsOf(log), [
    '1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1',
    '3 DELETED ServiceEntry/shop/payments', '4 DELETED WorkloadEntry/shop/vm-1',
  ]);
  assert.equal(await cliJson(['associations', '--log', log, '-o', 'json']), { seq: 4, associations: [] });
  assert.equal(await cliJson(['endpoints', '--log', log, '-o', 'json']), { seq: 4, endpoints: [] });
});

test('recording into an existing log continues its seqs, and earlier points stay queryable', async () => {
  const log = newLog();
  const a = await dir.write('first.json', watchStream([{ type: 'ADDED', object: serviceEntry('payments') }]));
  const b = await dir.write('second.json', watchStream([
    { type: 'ADDED', object: workloadEntry('vm-1', 'payments') },
    { type: 'MODIFIED', object: workloadEntry('vm-1', 'elsewhere') },
  ]));
  assert.equal(recordSummary((await cliOk(['record', '--log', log, a])).stdout), { count: 1, first: 1, last: 1, rejected: 0 });
  assert.equal(recordSummary((await cliOk(['record', '--log', log, b])).stdout), { count: 2, first: 2, last: 3, rejected: 0 });
  assert.equal(await eventsOf(log), ['1 ADDED ServiceEntry/shop/payments', '2 ADDED WorkloadEntry/shop/vm-1', '3 MODIFIED WorkloadEntry/shop/vm-1']);
  const at2 = await cliJson<{ associations: unknown[] }>(['associations', '--log', log, '--at', '2', '-o', 'json']);
  assert.equal(at2.associations, [{ serviceEntry: 'shop/payments', workloadEntry: 'shop/vm-1' }]);
});

test('record without --log is a one-line CLI_USAGE error, exit 2', async () => {
  const r = await runCli(['record', '-'], { stdin: '' });
  assert.is(r.code, 2);
  assert.match(r.stderr, /^CLI_USAGE: [^\n]*\n$/);
});

test.run();
