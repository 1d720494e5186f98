// `meshfold watch` against a stand-in kubectl on PATH (test/fixtures/kubectl: it prints what
// kubectl prints — a pretty-printed List, pretty-printed watch events — and ends or fails as
// kubectl does). A real cluster remains the final check.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, cliOk, MESHFOLD_BIN, recordSummary, tempDir, type TempDir } from './support/cli.js';

const STAND_IN = fileURLToPath(new URL('../../test/fixtures/kubectl/', import.meta.url));

let dir: TempDir;
let n = 0;
test.before(async () => { dir = await tempDir('meshfold-watch-'); });
test.after(async () => { await dir?.remove(); });

function serviceEntry(name: string) {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry',
    metadata: { name, namespace: 'shop', resourceVersion: '10' },
    spec: { hosts: [`${name}.shop.internal`], ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: { app: name } } },
  };
}

function workloadEntry(name: string, address: string, resourceVersion = '11') {
  return { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'shop', resourceVersion }, spec: { address, labels: { app: 'payments' } } };
}

const HANG = [{ hang: true }];
const GONE = { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 11 (42)', reason: 'Expired', code: 410 } };
const CONNECTION_LOST = 'error: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding';

interface WatchRun { code: number | null; signal: string | null; stdout: string; stderr: string; calls: string[][]; log: string }

/**
 * Runs `meshfold watch --log LOG ...args` with the stand-in kubectl playing `scenario`; sends
 * SIGINT once `until(stderr)` holds (never, for runs that must end by themselves).
 */
/**
 * Runs `meshfold watch` against the stand-in kubectl until `until` holds — asked whenever stderr
 * grows and every 50 ms, with the kubectl calls made so far (each stand-in logs its call as it
 * starts, which on a loaded machine may come after the line that prompted the check) — then
 * stops it with SIGINT.
 */
async function runWatch(scenario: object, args: string[] = [], until?: (stderr: string, calls: string[][]) => boolean, path = `${STAND_IN}:${process.env.PATH}`): Promise<WatchRun> {
  const state = dir.join(`state-${++n}`);
  mkdirSync(state);
  writeFileSync(`${state}/calls.log`, '');
  const scenarioFile = await dir.write(`scenario-${n}.json`, JSON.stringify(scenario));
  const log = dir.join(`log-${n}`);
  const child = spawn(process.execPath, [MESHFOLD_BIN, 'watch', '--log', log, '--retry-delay', '20', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: path, KUBECTL_SCENARIO: scenarioFile, KUBECTL_STATE: state, MESHFOLD_TEST_NODE: process.execPath },
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  const callsSoFar = () => readFileSync(`${state}/calls.log`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  const check = () => {
    if (!sent && until?.(stderr, callsSoFar())) { sent = true; child.kill('SIGINT'); }
  };
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    check();
  });
  const poll = setInterval(check, 50);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = await once(child, 'close') as [number | null, string | null];
  clearTimeout(timer);
  clearInterval(poll);
  const calls = callsSoFar();
  return { code, signal, stdout, stderr, calls, log };
}

const count = (text: string, part: string) => text.split(part).length - 1;
const watchCalls = (calls: string[][]) => calls.filter((c) => c.includes('-w'));

test('the ghost: B deleted while the watch was down is removed by the relist after the restart, and why/history say so', async () => {
  const r = await runWatch({
    list: [{ items: [serviceEntry('payments'), workloadEntry('a', '10.0.0.1'), workloadEntry('b', '10.0.0.2')] }, { items: [serviceEntry('payments'), workloadEntry('a', '10.0.0.1')] }],
    'watch-serviceentries': HANG,
    'watch-workloadentries': [{ exit: 0 }, { hang: true }], // the first watch ends: the API server closed it
  }, [], (stderr) => count(stderr, 'watch: relist') >= 2);
  assert.is(r.signal, null, r.stderr);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /^watch: restart 1: kubectl get workloadentries\.networking\.istio\.io -w ended \(exit 0: the API server closes watches after a while\); re-syncing in 20 ms$/m);
  assert.match(r.stderr, 'watch: relist (seq 4): 2 unchanged, 0 added, 0 modified, 1 removed');
  assert.equal(recordSummary(r.stdout), { count: 4, first: 1, last: 4, rejected: 0 });

  const events = await cliJson<{ events: { seq: number; type: string; origin?: { sync: number }; object: { metadata: { name: string } } }[] }>(['events', '--log', r.log, '-o', 'json']);
  assert.equal(events.events.map((e) => `${e.seq} ${e.type} ${e.object.metadata.name} ${e.origin?.sync}`), [
    '1 ADDED payments 1', '2 ADDED a 1', '3 ADDED b 1', '4 DELETED b 4',
  ]);
  const eps = await cliJson<{ endpoints: { address: string }[] }>(['endpoints', '--log', r.log, '-o', 'json']);
  assert.equal(eps.endpoints.map((e) => e.address), ['10.0.0.1']);
  const why = await cliOk(['why', '--log', r.log, 'shop/payments', 'shop/b']);
  assert.match(why.stdout, 'WorkloadEntry shop/b does not exist at this point: removed by relist at seq 4: it was not in the cluster any more');
  const history = await cliOk(['history', '--log', r.log, 'WorkloadEntry/shop/b']);
  assert.match(history.stdout, 'removed by relist at seq 4: it was not in the cluster any more');
});

test('watch events are recorded as they come; a 410 Gone and a dropped connection are restarts with their reasons, not rejections', async () => {
  const r = await runWatch({
    // What the cluster holds at each relist: after the first watch, b exists; after the second, a changed.
    list: [
      { items: [serviceEntry('payments'), workloadEntry('a', '10.0.0.1')] },
      { items: [serviceEntry('payments'), workloadEntry('a', '10.0.0.1'), workloadEntry('b', '10.0.0.2', '12')] },
      { items: [serviceEntry('payments'), workloadEntry('a', '10.0.0.9', '13'), workloadEntry('b', '10.0.0.2', '12')] },
    ],
    'watch-serviceentries': HANG,
    'watch-workloadentries': [
      { events: [{ type: 'ADDED', object: workloadEntry('b', '10.0.0.2', '12') }, { type: 'BOOKMARK', object: { kind: 'WorkloadEntry', apiVersion: 'networking.istio.io/v1', metadata: { resourceVersion: '40' } } }, GONE], exit: 1 },
      { events: [{ type: 'MODIFIED', object: workloadEntry('a', '10.0.0.9', '13') }], exit: 1, stderr: CONNECTION_LOST },
      { hang: true },
    ],
  }, [], (stderr) => count(stderr, 'watch: relist') >= 3);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /^watch: restart 1: the workloadentries\.networking\.istio\.io watch expired \(410 Gone: too old resource version: 11 \(42\)\); a relist catches up; re-syncing in 20 ms$/m);
  assert.match(r.stderr, /^watch: restart 2: kubectl get workloadentries\.networking\.istio\.io -w failed \(exit 1\): error: an error on the server .*client connection lost.*; re-syncing in 40 ms$/m);
  assert.ok(!/^INPUT_/m.test(r.stderr), `nothing rejected: ${r.stderr}`);
  assert.is(recordSummary(r.stdout).rejected, 0);
  assert.match(r.stdout, /^watch: 2 restarts$/m);
  const events = await cliJson<{ events: { type: string; origin?: unknown; object: { metadata: { name: string } } }[] }>(['events', '--log', r.log, '-o', 'json']);
  // b from the first watch, a's change from the second; the relists after them find nothing new.
  assert.equal(events.events.map((e) => `${e.type} ${e.object.metadata.name}${e.origin ? ' (relist)' : ''}`), [
    'ADDED payments (relist)', 'ADDED a (relist)', 'ADDED b', 'MODIFIED a',
  ]);
  assert.match(r.stderr, 'watch: relist: 3 unchanged, 0 added, 0 modified, 0 removed');
});

test("the user's kubectl flags are passed through; each kind is watched by its own kubectl (kubectl refuses -w on two)", async () => {
  const r = await runWatch({ list: [{ items: [] }], 'watch-serviceentries': HANG, 'watch-workloadentries': [{ exit: 0 }] },
    ['--context', 'prod', '--kubeconfig', '/home/me/.kube/prod', '-n', 'shop'],
    (stderr, calls) => stderr.includes('watch: restart 1') && new Set(watchCalls(calls).map((c) => c[1])).size >= 2);
  assert.is(r.code, 0, r.stderr);
  const flags = ['--context', 'prod', '--kubeconfig', '/home/me/.kube/prod', '-n', 'shop'];
  assert.equal(r.calls[0], ['get', 'serviceentries.networking.istio.io,workloadentries.networking.istio.io', '-o', 'json', ...flags]);
  // Every watch, of either round, in whatever order their kubectls started: on a busy machine the
  // workloadentries watch can exit and be restarted before the serviceentries one has started.
  const watches = [...new Set(watchCalls(r.calls).map((c) => c.join(' ')))].sort();
  assert.equal(watches, [
    `get serviceentries.networking.istio.io -w --watch-only -o json --output-watch-events ${flags.join(' ')}`,
    `get workloadentries.networking.istio.io -w --watch-only -o json --output-watch-events ${flags.join(' ')}`,
  ]);
});

test('without -n, watch lists and watches all namespaces (-A)', async () => {
  const r = await runWatch({ list: [{ items: [] }], 'watch-serviceentries': HANG, 'watch-workloadentries': [{ exit: 0 }] }, [], (stderr, calls) => stderr.includes('watch: restart 1') && calls.length >= 3);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.calls.length >= 3, JSON.stringify(r.calls));
  assert.ok(r.calls.every((c) => c.at(-1) === '-A'), JSON.stringify(r.calls));
});

for (const [what, stderr] of [
  ['credentials kubectl cannot use (Unauthorized)', 'error: You must be logged in to the server (Unauthorized)'],
  ['a cluster without Istio\'s CRDs', 'error: the server doesn\'t have a resource type "serviceentries"'],
  ['a cluster kubectl cannot reach', 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?'],
] as const) {
  test(`the first list failing — ${what} — is one coded line and exit 1, after one kubectl call: no retry loop`, async () => {
    const r = await runWatch({ list: [{ exit: 1, stderr }] });
    assert.is(r.code, 1, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('WATCH_'));
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0]!, `WATCH_KUBECTL_FAILED: kubectl get serviceentries.networking.istio.io,workloadentries.networking.istio.io failed (exit 1): ${stderr}`);
    assert.is(r.calls.length, 1);
  });
}

test('credentials expiring while watching: the watch failing with Unauthorized ends watch with the coded error, after saving what was read', async () => {
  const r = await runWatch({
    list: [{ items: [workloadEntry('a', '10.0.0.1')] }],
    'watch-serviceentries': HANG,
    'watch-workloadentries': [{ events: [{ type: 'ADDED', object: workloadEntry('b', '10.0.0.2') }], exit: 1, stderr: 'error: You must be logged in to the server (Unauthorized)' }],
  });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^WATCH_KUBECTL_FAILED: kubectl get workloadentries\.networking\.istio\.io -w failed \(exit 1\): error: You must be logged in to the server \(Unauthorized\)$/m);
  assert.equal(recordSummary(r.stdout), { count: 2, first: 1, last: 2, rejected: 0 });
});

test('kubectl not installed: WATCH_KUBECTL_NOT_FOUND, exit 1', async () => {
  const empty = dir.join('empty-path');
  mkdirSync(empty);
  const r = await runWatch({}, [], undefined, empty);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^WATCH_KUBECTL_NOT_FOUND: cannot run kubectl \(ENOENT\)/m);
});

test.run();
