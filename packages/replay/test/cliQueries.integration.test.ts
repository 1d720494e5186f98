// The read commands on the demo stream (scripts/demo/demo-stream.json, 11 events): istio#25678's
// relabel of default/test-we at seq 8, httpbin losing an inline endpoint at 9, the WorkloadEntry
// deleted at 10 and added back at 11. One log is recorded once and shared by every test: the demo
// is recorded in two runs (seq 1..7, then 8..11) so that `--at TIME` has two distinct times.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  assertOneLineError, cliJson, cliOk, DEMO_STREAM, linesOf, parseWatchStream, recordSummary, runCli,
  tempDir, watchStream, type TempDir,
} from './support/cli.js';

interface Endpoint { host: string; namespace: string; servicePort: number; address: string; port: number; workload: string; [k: string]: unknown }
interface Association { serviceEntry: string; workloadEntry: string }
interface LoggedEvent { seq: number; time: string; type: string; object: { kind: string; metadata: { name: string; namespace: string } } }

let dir: TempDir;
let LOG: string;

test.before(async () => {
  dir = await tempDir();
  LOG = dir.join('log');
  const demo = parseWatchStream(readFileSync(DEMO_STREAM, 'utf8'));
  assert.is(demo.length, 11, 'the demo stream has 11 events');
  const first = await dir.write('demo-1-7.json', watchStream(demo.slice(0, 7)));
  const rest = await dir.write('demo-8-11.json', watchStream(demo.slice(7)));
  assert.equal(recordSummary((await cliOk(['record', '--log', LOG, first])).stdout), { count: 7, first: 1, last: 7, rejected: 0 });
  assert.equal(recordSummary((await cliOk(['record', '--log', LOG, rest])).stdout), { count: 4, first: 8, last: 11, rejected: 0 });
});

test.after(async () => {
  await dir?.remove();
});

const endpointsAt = (...args: string[]) =>
  cliJson<{ seq: number; endpoints: Endpoint[] }>(['endpoints', '--log', LOG, '-o', 'json', ...args]);

let latestEndpoints: ReturnType<typeof endpointsAt> | undefined;
/** `endpoints -o json` with no --at (asked once). */
const latest = () => (latestEndpoints ??= endpointsAt());

const slot = (e: Endpoint) => `${e.address}:${e.port} ${e.host}:${e.servicePort} ${e.workload}`;

// ---- endpoints --------------------------------------------------------------------------------

test('endpoints -o json at the latest seq: seq 11, the re-added test-we is back, httpbin has one endpoint', async () => {
  const r = await latest();
  assert.is(r.seq, 11);
  assert.equal(r.endpoints.map(slot).sort(), [
    '10.0.0.1:443 orders.shop.internal:443 WorkloadEntry/shop/vm-1',
    '10.0.0.1:8080 orders.shop.internal:80 WorkloadEntry/shop/vm-1',
    '10.0.0.2:443 orders.shop.internal:443 WorkloadEntry/shop/vm-2',
    '10.0.0.2:9090 orders.shop.internal:80 WorkloadEntry/shop/vm-2',
    '2.2.2.2:8080 httpbin.com:80 ServiceEntry/default/httpbin-0',
    '8.8.8.8:8080 www.test.com:80 WorkloadEntry/default/test-we',
    'api.example.com:443 api.example.com:443 ServiceEntry/shop/api-dns',
  ]);
});

test('endpoints -o json lists every contract field and is sorted by host, namespace, servicePort, address', async () => {
  const { endpoints } = await latest();
  const fields = ['host', 'namespace', 'servicePort', 'portName', 'protocol', 'address', 'port', 'labels', 'network',
    'locality', 'weight', 'serviceAccount', 'tlsMode', 'workload', 'workloadName', 'resolution'];
  for (const e of endpoints) assert.equal(Object.keys(e).sort(), [...fields].sort(), slot(e));
  const key = (e: Endpoint) => [e.host, e.namespace, String(e.servicePort).padStart(5, '0'), e.address].join('\u0000');
  assert.equal(endpoints.map(key), endpoints.map(key).sort());
});

test('endpoints -o wide: a header and one row per endpoint, every column starting at the header\'s offset', async () => {
  const { endpoints } = await latest();
  const table = (await cliOk(['endpoints', '--log', LOG, '-o', 'wide'])).stdout;
  const [header, ...rows] = linesOf(table);
  assert.is(rows.length, endpoints.length);
  const columns = ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER', 'LOCALITY', 'TLS', 'WORKLOAD'];
  const starts = columns.map((c) => header!.indexOf(c));
  assert.ok(starts.every((s, i) => s >= 0 && (i === 0 || s > starts[i - 1]!)), `header: ${header}`);
  for (const row of rows) {
    for (const [i, s] of starts.entries()) {
      if (i === 0) continue;
      // The demo's workloads have no locality: that cell is blank.
      const blankAllowed = columns[i] === 'LOCALITY';
      assert.ok(row[s - 1] === ' ' && (blankAllowed || (row[s] !== ' ' && row[s] !== undefined)), `column at ${s} misaligned in: ${row}`);
    }
  }
  assert.ok(rows.some((r) => r.startsWith('8.8.8.8:8080 ') && r.includes('outbound|80||www.test.com') && r.endsWith('WorkloadEntry/default/test-we')));
});

test('endpoints -o eds: one ClusterLoadAssignment per outbound|port||host cluster with socket addresses', async () => {
  const cla = await cliJson<{ clusterName: string; endpoints: { lbEndpoints: { endpoint: { address: { socketAddress?: { address: string; portValue: number } } } }[] }[] }[]>(
    ['endpoints', '--log', LOG, '-o', 'eds']);
  assert.ok(Array.isArray(cla));
  const names = cla.map((c) => c.clusterName);
  assert.equal(names, [...new Set(names)].sort(), 'one object per cluster, sorted');
  for (const n of ['outbound|80||www.test.com', 'outbound|80||httpbin.com', 'outbound|80||orders.shop.internal', 'outbound|443||orders.shop.internal']) {
    assert.ok(names.includes(n), `missing ${n} in ${names.join(', ')}`);
  }
  const addresses = (name: string) => cla.find((c) => c.clusterName === name)!.endpoints
    .flatMap((g) => g.lbEndpoints.map((l) => `${l.endpoint.address.socketAddress!.address}:${l.endpoint.address.socketAddress!.portValue}`))
    .sort();
  assert.equal(addresses('outbound|80||www.test.com'), ['8.8.8.8:8080']);
  assert.equal(addresses('outbound|80||orders.shop.internal'), ['10.0.0.1:8080', '10.0.0.2:9090']);
});

test('endpoints --host keeps only that host', async () => {
  const r = await endpointsAt('--host', 'orders.shop.internal');
  assert.is(r.endpoints.length, 4);
  assert.ok(r.endpoints.every((e) => e.host === 'orders.shop.internal'));
});

test('endpoints --at 0 is the empty state', async () => {
  assert.equal(await endpointsAt('--at', '0'), { seq: 0, endpoints: [] });
});

test('endpoints --at 8: the relabelled test-we has left www.test.com, httpbin still has both inline endpoints', async () => {
  const r = await endpointsAt('--at', '8');
  assert.is(r.seq, 8);
  assert.not.ok(r.endpoints.some((e) => e.host === 'www.test.com'), 'no www.test.com endpoint after the relabel');
  assert.equal(r.endpoints.filter((e) => e.host === 'httpbin.com').map((e) => e.address).sort(), ['2.2.2.2', '3.3.3.3']);
});

test('endpoints at 9 keeps the endpoint port (8080) of the remaining inline endpoint, not the service port (istio#25309)', async () => {
  const r = await endpointsAt('--at', '9', '--host', 'httpbin.com');
  assert.equal(r.endpoints.map((e) => `${e.address}:${e.port}`), ['2.2.2.2:8080']);
});

// ---- --at TIME ----------------------------------------------------------------------------------

let times: Promise<Map<number, string>> | undefined;
/** seq → time, from `events -o json` (asked once). */
const eventTimes = () => (times ??= readEventTimes());

async function readEventTimes(): Promise<Map<number, string>> {
  const r = await cliJson<{ events: LoggedEvent[] }>(['events', '--log', LOG, '-o', 'json']);
  assert.equal(r.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  return new Map(r.events.map((e) => [e.seq, e.time]));
}

test('--at an RFC 3339 time selects the last event at or before it; before the first event it is seq 0', async () => {
  const times = await eventTimes();
  const t7 = times.get(7)!;
  const t8 = times.get(8)!;
  assert.ok(Date.parse(t7) < Date.parse(t8), `the two record runs have distinct times: ${t7} ${t8}`);
  // Each event has the time it was read, so events of one run may differ by a millisecond or so.
  assert.is((await endpointsAt('--at', t7)).seq, 7, 'exactly the time of seq 7');
  const between = new Date(Date.parse(t7) + 1).toISOString();
  if (Date.parse(between) < Date.parse(t8)) assert.is((await endpointsAt('--at', between)).seq, 7, `between: ${between}`);
  assert.is((await endpointsAt('--at', times.get(11)!)).seq, 11, 'the time of seq 11');
  const before = new Date(Date.parse(times.get(1)!) - 60_000).toISOString();
  assert.equal(await endpointsAt('--at', before), { seq: 0, endpoints: [] });
});

test('--at a time with a UTC offset means the same instant', async () => {
  const t7 = (await eventTimes()).get(7)!;
  const shifted = new Date(Date.parse(t7) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
  const assoc = await cliJson<{ seq: number }>(['associations', '--log', LOG, '-o', 'json', '--at', shifted]);
  assert.is(assoc.seq, 7, shifted);
});

// ---- associations, diff, history, why --------------------------------------------------------

test('associations -o json at 7, 8 and 11: the pair leaves on the relabel and returns on the re-add', async () => {
  const at = async (seq: string) =>
    (await cliJson<{ seq: number; associations: Association[] }>(['associations', '--log', LOG, '--at', seq, '-o', 'json']))
      .associations.map((a) => `${a.serviceEntry} ${a.workloadEntry}`);
  const orders = ['shop/orders shop/vm-1', 'shop/orders shop/vm-2'];
  assert.equal(await at('7'), ['default/test-se default/test-we', ...orders]);
  assert.equal(await at('8'), orders);
  assert.equal(await at('11'), ['default/test-se default/test-we', ...orders]);
});

test('diff 7 8 -o json: the association and the 8.8.8.8 endpoint are removed, nothing added', async () => {
  const d = await cliJson<{
    from: number; to: number;
    endpoints: { added: Endpoint[]; removed: Endpoint[]; changed: unknown[] };
    associations: { added: Association[]; removed: Association[] };
  }>(['diff', '--log', LOG, '7', '8', '-o', 'json']);
  assert.is(d.from, 7);
  assert.is(d.to, 8);
  assert.equal(d.associations.removed, [{ serviceEntry: 'default/test-se', workloadEntry: 'default/test-we' }]);
  assert.equal(d.associations.added, []);
  assert.equal(d.endpoints.removed.map(slot), ['8.8.8.8:8080 www.test.com:80 WorkloadEntry/default/test-we']);
  assert.equal(d.endpoints.added, []);
  assert.equal(d.endpoints.changed, []);
});

test('diff 8 9 -o json: httpbin loses 3.3.3.3 only', async () => {
  const d = await cliJson<{ endpoints: { added: Endpoint[]; removed: Endpoint[]; changed: unknown[] } }>(['diff', '--log', LOG, '8', '9', '-o', 'json']);
  assert.equal(d.endpoints.removed.map((e) => `${e.address}:${e.port} ${e.host}`), ['3.3.3.3:8080 httpbin.com']);
  assert.equal(d.endpoints.added, []);
});

test('history WorkloadEntry/default/test-we -o json: seqs 2, 8, 10, 11 with their association deltas', async () => {
  const h = await cliJson<{ object: string; entries: { seq: number; type: string; deltas: { type: string; serviceEntry?: string; workloadEntry?: string }[] }[] }>(
    ['history', '--log', LOG, 'WorkloadEntry/default/test-we', '-o', 'json']);
  assert.is(h.object, 'WorkloadEntry/default/test-we');
  assert.equal(h.entries.map((e) => `${e.seq} ${e.type}`), ['2 ADDED', '8 MODIFIED', '10 DELETED', '11 ADDED']);
  const assoc = (seq: number) => h.entries.find((e) => e.seq === seq)!.deltas
    .filter((d) => d.type.startsWith('association-'))
    .map((d) => `${d.type} ${d.serviceEntry} ${d.workloadEntry}`);
  assert.equal(assoc(2), ['association-added default/test-se default/test-we']);
  assert.equal(assoc(8), ['association-removed default/test-se default/test-we']);
  assert.equal(h.entries.find((e) => e.seq === 10)!.deltas, [], 'the delete after the relabel changes nothing');
  assert.equal(assoc(11), ['association-added default/test-se default/test-we']);
  const shard = h.entries.find((e) => e.seq === 8)!.deltas.find((d) => d.type === 'shard-replaced') as { host?: string; endpoints?: unknown[] } | undefined;
  assert.equal(shard && { host: shard.host, endpoints: shard.endpoints }, { host: 'www.test.com', endpoints: [] });
});

interface Why { seq: number; associated: boolean; since?: { seq: number; event: string }; reasons: { code: string; message: string }[] }
const why = (...args: string[]) => cliJson<Why>(['why', '--log', LOG, ...args, '-o', 'json']);

test('why at 8: not associated, LABEL_DIFFERS naming the ready label, ended by seq 8', async () => {
  const w = await why('default/test-se', 'default/test-we', '--at', '8');
  assert.is(w.seq, 8);
  assert.is(w.associated, false);
  assert.equal(w.reasons.map((r) => r.code), ['LABEL_DIFFERS']);
  assert.match(w.reasons[0]!.message, /ready/);
  assert.is(w.since?.seq, 8);
});

test('why at 7: associated since seq 2, with no reasons against', async () => {
  const w = await why('default/test-se', 'default/test-we', '--at', '7');
  assert.is(w.associated, true);
  assert.is(w.since?.seq, 2);
  assert.match(w.since!.event, 'WorkloadEntry/default/test-we');
  assert.equal(w.reasons, []);
});

test('why across namespaces: OTHER_NAMESPACE', async () => {
  const w = await why('default/test-se', 'shop/vm-1');
  assert.is(w.associated, false);
  assert.ok(w.reasons.some((r) => r.code === 'OTHER_NAMESPACE'), JSON.stringify(w.reasons));
});

test('why at 10: the deleted WorkloadEntry is WE_ABSENT', async () => {
  const w = await why('default/test-se', 'default/test-we', '--at', '10');
  assert.is(w.associated, false);
  assert.equal(w.reasons.map((r) => r.code), ['WE_ABSENT']);
});

test('why text output says whether it selects, and since which seq', async () => {
  const r = await cliOk(['why', '--log', LOG, 'default/test-se', 'default/test-we', '--at', '7']);
  assert.match(r.stdout, /^ServiceEntry default\/test-se selects WorkloadEntry default\/test-we at seq 7/);
  assert.match(r.stdout, /since seq 2/);
});

// ---- verify --------------------------------------------------------------------------------------

test('verify prints ok and a 64-hex state hash, the same on two runs', async () => {
  const a = await cliOk(['verify', '--log', LOG]);
  const b = await cliOk(['verify', '--log', LOG]);
  assert.match(a.stdout, /^ok: 11 events/m);
  assert.match(a.stdout, /^link index: seq 1\.\.11 holds what replay gives$/m, 'record kept the link index, and verify checked it');
  const hash = /^state hash ([0-9a-f]{64})$/m.exec(a.stdout);
  assert.ok(hash, a.stdout);
  assert.is(b.stdout, a.stdout);
  assert.is(a.stderr, '', 'no warnings');
});

// ---- errors and help ----------------------------------------------------------------------------

test('an unknown option is a one-line CLI_USAGE error, exit 2', async () => {
  const msg = assertOneLineError(await runCli(['endpoints', '--log', LOG, '--bogus']), 'CLI_USAGE', 2);
  assert.match(msg, '--bogus');
});

test('--at past the end of the log is a one-line CLI_USAGE error naming the last seq', async () => {
  const msg = assertOneLineError(await runCli(['endpoints', '--log', LOG, '--at', '999']), 'CLI_USAGE', 2);
  assert.match(msg, '999');
  assert.match(msg, '11');
});

test('--at that is neither a seq nor a time is a one-line CLI_USAGE error', async () => {
  assertOneLineError(await runCli(['associations', '--log', LOG, '--at', 'yesterday']), 'CLI_USAGE', 2);
});

test('a time without a zone, or on a day that does not exist, is a one-line CLI_USAGE error naming the argument and the rule, exit 2', async () => {
  const cases: [string[], string][] = [
    [['endpoints', '--at', '2024-01-01T00:00:00'], '--at "2024-01-01T00:00:00"'],
    [['associations', '--at', '2024-02-30T00:00:00Z'], '--at "2024-02-30T00:00:00Z"'],
    [['why', 'default/test-se', 'default/test-we', '--at', '2024-01-01T00:00:00'], '--at "2024-01-01T00:00:00"'],
    [['events', '--from', '2024-01-01T00:00:00'], '--from "2024-01-01T00:00:00"'],
    [['events', '--to', '2024-01-01T00:00:00'], '--to "2024-01-01T00:00:00"'],
    [['diff', '2024-01-01T00:00:00', '8'], 'FROM "2024-01-01T00:00:00"'],
  ];
  for (const [args, named] of cases) {
    const msg = assertOneLineError(await runCli([...args, '--log', LOG]), 'CLI_USAGE', 2);
    assert.ok(msg.startsWith(`${named} is neither a seq nor an RFC 3339 time`), `${args.join(' ')}: ${msg}`);
    assert.match(msg, 'Z or +HH:MM', `the message states the rule: ${msg}`);
  }
});

test('a missing log directory is STORE_NOT_FOUND and is not created', async () => {
  const missing = dir.join('no-such-log');
  const msg = assertOneLineError(await runCli(['endpoints', '--log', missing]), 'STORE_NOT_FOUND');
  assert.match(msg, missing);
  assert.not.ok(existsSync(missing), 'a query does not create a log');
});

test('every query on a directory that holds no log is STORE_NOT_FOUND and leaves it exactly as it was', async () => {
  const empty = dir.join('not-a-log');
  mkdirSync(empty);
  writeFileSync(join(empty, 'notes.txt'), 'not a log\n');
  const before = listing(empty);
  const queries = [
    ['events'], ['endpoints'], ['associations'], ['diff', '0', '1'], ['history', 'ServiceEntry/default/x'],
    ['why', 'default/se', 'default/we'], ['verify'], ['serve', '--port', '0'],
  ];
  for (const query of queries) {
    const [command, ...rest] = query;
    const msg = assertOneLineError(await runCli([command!, '--log', empty, ...rest]), 'STORE_NOT_FOUND');
    assert.match(msg, empty, `${command} names the directory`);
    assert.equal(listing(empty), before, `${command} leaves the directory as it was`);
  }
});

/** Names, sizes and modification times of every file in `path`, sorted. */
function listing(path: string): { name: string; size: number; mtimeMs: number }[] {
  return readdirSync(path).sort().map((name) => {
    const st = statSync(join(path, name));
    return { name, size: st.size, mtimeMs: st.mtimeMs };
  });
}

test('a bad -o is a one-line CLI_USAGE error listing the formats', async () => {
  const msg = assertOneLineError(await runCli(['endpoints', '--log', LOG, '-o', 'yaml']), 'CLI_USAGE', 2);
  assert.match(msg, 'eds');
});

test('no --log is a one-line CLI_USAGE error', async () => {
  assertOneLineError(await runCli(['associations']), 'CLI_USAGE', 2);
});

test('an unknown command is a one-line CLI_USAGE error', async () => {
  assertOneLineError(await runCli(['frobnicate', '--log', LOG]), 'CLI_USAGE', 2);
});

test('a malformed object key for history is a one-line CLI_USAGE error', async () => {
  assertOneLineError(await runCli(['history', '--log', LOG, 'test-we']), 'CLI_USAGE', 2);
});

test('diff with one point missing is a one-line CLI_USAGE error, exit 2', async () => {
  assertOneLineError(await runCli(['diff', '--log', LOG, '7']), 'CLI_USAGE', 2);
});

test('no command at all is a one-line CLI_USAGE error, exit 2', async () => {
  assertOneLineError(await runCli([]), 'CLI_USAGE', 2);
});

test('--help for each command exits 0 and mentions its options', async () => {
  const expected: Record<string, string[]> = {
    record: ['--log', '--delete'],
    events: ['--log', '--from', '--to', '--output'],
    endpoints: ['--log', '--at', '--host', '--output', 'eds'],
    associations: ['--log', '--at', '--output'],
    diff: ['--log', '--output'],
    history: ['--log', '--output'],
    why: ['--log', '--at', '--output'],
    verify: ['--log'],
    serve: ['--log', '--port', '--host'],
  };
  // --help never opens the log, so these can run side by side.
  const [top, ...each] = await Promise.all([cliOk(['--help']), ...Object.keys(expected).map((c) => cliOk([c, '--help']))]);
  Object.entries(expected).forEach(([command, options], i) => {
    assert.match(top!.stdout, command, `meshfold --help lists ${command}`);
    for (const o of options) assert.match(each[i]!.stdout, o, `meshfold ${command} --help mentions ${o}`);
    assert.is(each[i]!.stderr, '');
  });
});

test.run();
