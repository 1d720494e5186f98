// `meshfold record --sync`: the input is the complete set, as an informer's relist. Objects the
// log holds that are absent get a DELETED marked as synthesized by the relist, and that mark
// shows in `events`, `history` and `why`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, cliOk, linesOf, recordSummary, runCli, tempDir, watchStream, type TempDir } from './support/cli.js';

interface Event { seq: number; type: string; origin?: { sync: number }; object: { kind: string; metadata: { name: string; namespace: string } } }

let dir: TempDir;
let n = 0;
const newLog = () => dir.join(`log-${++n}`);
test.before(async () => { dir = await tempDir('meshfold-sync-'); });
test.after(async () => { await dir?.remove(); });

function serviceEntry(name: string, namespace = 'shop') {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry',
    metadata: { name, namespace, resourceVersion: '100' },
    spec: { hosts: [`${name}.${namespace}.internal`], ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: { app: name } } },
  };
}

function workloadEntry(name: string, app: string, namespace = 'shop', address = '10.0.0.1') {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
    metadata: { name, namespace, resourceVersion: '101' },
    spec: { address, labels: { app } },
  };
}

const list = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }, null, 4);

async function events(log: string): Promise<string[]> {
  const r = await cliJson<{ events: Event[] }>(['events', '--log', log, '-o', 'json']);
  return r.events.map((e) => `${e.seq} ${e.type} ${e.object.kind}/${e.object.metadata.namespace}/${e.object.metadata.name}${e.origin ? ` sync=${e.origin.sync}` : ''}`);
}

/** A log with the ServiceEntry `payments` selecting WorkloadEntries vm-a and vm-b (seqs 1..3). */
async function watchedLog(): Promise<string> {
  const log = newLog();
  const file = await dir.write(`watch-${n}.json`, watchStream([
    { type: 'ADDED', object: serviceEntry('payments') },
    { type: 'ADDED', object: workloadEntry('vm-a', 'payments', 'shop', '10.0.0.1') },
    { type: 'ADDED', object: workloadEntry('vm-b', 'payments', 'shop', '10.0.0.2') },
  ]));
  await cliOk(['record', '--log', log, file]);
  return log;
}

test('an object absent from the relisted set gets one DELETED marked with the relist; present, unchanged objects get no event', async () => {
  const log = await watchedLog();
  const set = await dir.write('set.json', list([serviceEntry('payments'), workloadEntry('vm-a', 'payments', 'shop', '10.0.0.1')]));
  const r = await cliOk(['record', '--log', log, '--sync', set]);
  assert.equal(recordSummary(r.stdout), { count: 1, first: 4, last: 4, rejected: 0 });
  assert.match(r.stdout, 'relist (seq 4): 2 unchanged, 0 added, 0 modified, 1 removed (not in the set any more)');
  assert.equal((await events(log)).slice(3), ['4 DELETED WorkloadEntry/shop/vm-b sync=4']);

  const table = await cliOk(['events', '--log', log]);
  assert.match(table.stdout, /^4 +\S+ +DELETED \(relist at seq 4\) +WorkloadEntry\/shop\/vm-b$/m);
  const eps = await cliJson<{ endpoints: { address: string }[] }>(['endpoints', '--log', log, '-o', 'json']);
  assert.equal(eps.endpoints.map((e) => e.address), ['10.0.0.1']);

  const history = await cliOk(['history', '--log', log, 'WorkloadEntry/shop/vm-b']);
  assert.match(history.stdout, /^4 .*DELETED WorkloadEntry\/shop\/vm-b +removed by relist at seq 4: it was not in the cluster any more; -assoc shop\/payments -> shop\/vm-b/m);
  const historyJson = await cliJson<{ entries: { seq: number; origin?: { sync: number }; note?: string }[] }>(['history', '--log', log, 'WorkloadEntry/shop/vm-b', '-o', 'json']);
  assert.equal(historyJson.entries.at(-1)!.origin, { sync: 4 });

  const why = await cliOk(['why', '--log', log, 'shop/payments', 'shop/vm-b']);
  assert.match(why.stdout, 'WorkloadEntry shop/vm-b does not exist at this point: removed by relist at seq 4: it was not in the cluster any more');
  assert.match(why.stdout, 'associated until seq 4 (DELETED WorkloadEntry/shop/vm-b, removed by relist at seq 4');

  // The same set again: nothing changed, nothing recorded.
  const again = await cliOk(['record', '--log', log, '--sync', set]);
  assert.equal(recordSummary(again.stdout), { count: 0, rejected: 0 });
  assert.match(again.stdout, 'relist: 2 unchanged, 0 added, 0 modified, 0 removed');
});

test('a relist records new objects as ADDED and changed ones as MODIFIED, in the same marked batch as its deletions', async () => {
  const log = await watchedLog();
  const set = await dir.write('changed.json', list([
    serviceEntry('payments'), workloadEntry('vm-a', 'payments', 'shop', '10.0.0.9'), workloadEntry('vm-c', 'payments', 'shop', '10.0.0.3'),
  ]));
  await cliOk(['record', '--log', log, '--sync', set]);
  assert.equal((await events(log)).slice(3), [
    '4 MODIFIED WorkloadEntry/shop/vm-a sync=4', '5 ADDED WorkloadEntry/shop/vm-c sync=4', '6 DELETED WorkloadEntry/shop/vm-b sync=4',
  ]);
});

test('--namespace: the set is complete for that namespace only; objects elsewhere are left alone', async () => {
  const log = newLog();
  await cliOk(['record', '--log', log, await dir.write('two-ns.json', list([
    workloadEntry('vm-a', 'x', 'shop'), workloadEntry('vm-b', 'x', 'shop'), workloadEntry('vm-z', 'x', 'other'),
  ]))]);
  const set = await dir.write('shop-only.json', list([workloadEntry('vm-a', 'x', 'shop')]));
  await cliOk(['record', '--log', log, '--sync', '-n', 'shop', set]);
  assert.equal((await events(log)).slice(3), ['4 DELETED WorkloadEntry/shop/vm-b sync=4']);
});

test('a set with a document that cannot be read removes nothing (what it was is unknown), and says so', async () => {
  const log = await watchedLog();
  const set = await dir.write('broken-set.yaml', `${[serviceEntry('payments')].map((o) => JSON.stringify(o)).join('')}\n---\n: : not yaml [\n`);
  const r = await runCli(['record', '--log', log, '--sync', set]);
  assert.is(r.code, 1);
  assert.match(r.stdout, 'nothing removed: 1 document of the set could not be read');
  assert.is((await events(log)).length, 3);
  assert.ok(linesOf(r.stderr).every((l) => l.startsWith('INPUT_')), r.stderr);
});

test('--sync with --delete, and --namespace without --sync, are usage errors', async () => {
  const log = newLog();
  assert.is((await runCli(['record', '--log', log, '--sync', '--delete', '-'])).code, 2);
  assert.is((await runCli(['record', '--log', log, '-n', 'shop', '-'])).code, 2);
});

test.run();
