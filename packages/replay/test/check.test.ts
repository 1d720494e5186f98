// meshfold check, in process: dumps in the real formats built from the truth at a seq are equal to
// it; tampered ones give exactly the differences made, each with its seq, event and explanation —
// the Istio bugs replayed from their conformance scenarios among them.
import { readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WatchEvent } from '@meshfold/core';
import { EventLog, ProjectedLog } from '@meshfold/store';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckReport } from '../src/check/checkDump.js';
import { clusterStatuses, configDump, dropEndpoint, lbEndpointsOf, type Json } from './support/dumps.js';
import { DEMO_STREAM, demoEvents, removeTempPaths, runMain, tempPath } from './support/inspectorFixture.js';

const CONFORMANCE = join(DEMO_STREAM, '..', '..', '..', 'conformance');
const T0 = Date.parse('2024-05-01T10:00:00.000Z');
/** Event n is recorded at T0 + n minutes: far apart, so a 5 s settle window holds at most one. */
const timeOf = (seq: number, plusMs = 0) => new Date(T0 + seq * 60_000 + plusMs).toISOString();

async function logOf(events: readonly WatchEvent[]): Promise<string> {
  const dir = join(await tempPath('meshfold-check-'), 'log');
  const log = await EventLog.openDir(dir);
  const projected = await ProjectedLog.open(log);
  for (const [i, event] of events.entries()) {
    const r = await projected.record([{ ...event, time: timeOf(i + 1) }]);
    assert.equal(r.rejected, []);
  }
  await log.close();
  return dir;
}

function scenario(name: string): WatchEvent[] {
  return (JSON.parse(readFileSync(join(CONFORMANCE, `${name}.json`), 'utf8')) as { events: WatchEvent[] }).events;
}

async function eds(dir: string, seq: number): Promise<Json[]> {
  const r = await runMain(['endpoints', '--log', dir, '--at', String(seq), '-o', 'eds']);
  assert.is(r.code, 0, r.err);
  return JSON.parse(r.out) as Json[];
}

async function file(value: unknown, mtime?: string): Promise<string> {
  const path = join(await tempPath('meshfold-dump-'), 'dump.json');
  await writeFile(path, JSON.stringify(value, null, 2));
  if (mtime) await utimes(path, new Date(mtime), new Date(mtime));
  return path;
}

async function check(dir: string, dumps: string[], ...args: string[]): Promise<{ code: number; report: CheckReport; err: string }> {
  const r = await runMain(['check', '--log', dir, ...dumps, ...args, '-o', 'json']);
  return { code: r.code, err: r.err, report: r.code <= 3 && r.out ? (JSON.parse(r.out) as { checks: CheckReport[] }).checks[0]! : undefined! };
}

const differences = (r: CheckReport) => r.clusters.flatMap((c) => c.differences);

test.after(removeTempPaths);

test('a dump equal to the truth, in each real format: exit 0, nothing reported', async () => {
  const dir = await logOf(await demoEvents());
  const clas = await eds(dir, 7);
  for (const dump of [configDump(clas, timeOf(7, 30_000)), clusterStatuses(clas, 'envoy'), clusterStatuses(clas, 'istioctl'), clas]) {
    const { code, report, err } = await check(dir, [await file(dump, timeOf(7, 30_000))]);
    assert.is(code, 0, err);
    assert.is(report.point.seq, 7);
    assert.equal(report.clusters, []);
    assert.is(report.drift, false);
    assert.equal(report.summary.differences, {});
    assert.is(report.summary.endpoints, 7);
  }
});

test('the point: the dump\'s last_updated, else the file\'s time, else --at; the table ends with the summary line', async () => {
  const dir = await logOf(await demoEvents());
  const clas = await eds(dir, 7);
  const withTime = await check(dir, [await file(configDump(clas, timeOf(7, 1000)), timeOf(11))]);
  assert.equal(withTime.report.point, { seq: 7, time: timeOf(7, 1000), from: 'last_updated' });
  const fileTime = await check(dir, [await file(clusterStatuses(clas, 'envoy'), timeOf(5, 1000))]);
  assert.equal(fileTime.report.point, { seq: 5, time: timeOf(5, 1000), from: 'file-time' });
  const at = await check(dir, [await file(clas)], '--at', '7');
  assert.equal(at.report.point, { seq: 7, time: timeOf(7), from: '--at' });

  const table = await runMain(['check', '--log', dir, await file(clas), '--at', '7']);
  assert.is(table.code, 0);
  assert.match(table.out, /4 clusters, 7 endpoints compared; no drift; 0 clusters ignored/);
});

test('tampered: a dropped endpoint is missing, a changed weight is wrong-weight, each since the event that made it', async () => {
  const dir = await logOf(await demoEvents());
  const clas = await eds(dir, 7);
  const dropped = dropEndpoint(clas, 'outbound|80||orders.shop.internal', '10.0.0.1'); // vm-1
  const www = lbEndpointsOf(clas, 'outbound|80||www.test.com');
  www[0]!.loadBalancingWeight = 5;
  const { code, report } = await check(dir, [await file(configDump(clas, timeOf(7, 30_000)))]);
  assert.is(code, 3);
  assert.equal(report.summary.differences, { missing: 1, 'wrong-weight': 1 });
  const [missing, weight] = [differences(report).find((d) => d.kind === 'missing')!, differences(report).find((d) => d.kind === 'wrong-weight')!];
  assert.equal([missing.address, missing.port], ['10.0.0.1', dropped.endpoint.address.socketAddress.portValue]);
  assert.is(missing.workload, 'WorkloadEntry/shop/vm-1');
  assert.equal(missing.cause, { seq: 5, time: timeOf(5), event: 'ADDED WorkloadEntry/shop/vm-1' });
  assert.is(weight.workload, 'WorkloadEntry/default/test-we');
  assert.match(weight.message, /^weight 5 in the proxy, 1 in the truth since seq 2 \(ADDED WorkloadEntry\/default\/test-we\)$/);
  assert.is(weight.bug, undefined);
});

test('tampered metadata: a dropped transport-socket match is wrong-tls-mode, another canonical revision wrong-labels', async () => {
  const dir = await logOf(await demoEvents());
  const clas = await eds(dir, 7);
  const [lb] = lbEndpointsOf(clas, 'outbound|80||www.test.com');
  delete lb!.metadata.filterMetadata['envoy.transport_socket_match'];
  lb!.metadata.filterMetadata.istio.workload = 'test-we;default;test;v9;Kubernetes';
  const { code, report } = await check(dir, [await file(configDump(clas, timeOf(7, 30_000)))]);
  assert.is(code, 3);
  assert.equal(differences(report).map((d) => d.kind), ['wrong-tls-mode', 'wrong-labels']);
  assert.match(differences(report)[0]!.message, /^tlsMode disabled in the proxy, istio in the truth since seq 2/);
  assert.match(differences(report)[1]!.message, /"test-we;default;test;v9;Kubernetes" in the proxy, "test-we;default;test;;Kubernetes" in the truth \(labels app=test,ready=true\)/);
});

test('istio#25678 (relabel): the proxy keeps the endpoint of a relabelled WorkloadEntry — stale, since seq 3, and why', async () => {
  const dir = await logOf(scenario('workloadentry-relabel-then-delete'));
  const before = await eds(dir, 2);
  for (const dump of [configDump(before, timeOf(3, 30_000)), clusterStatuses(before, 'istioctl')]) {
    const { code, report } = await check(dir, [await file(dump, timeOf(3, 30_000))]);
    assert.is(code, 3);
    assert.equal(differences(report).map((d) => [d.kind, d.address, d.port, d.cause?.seq, d.cause?.event, d.bug]),
      [['stale', '8.8.8.8', 8080, 3, 'MODIFIED WorkloadEntry/default/test-we', 'istio#25678']]);
    const [stale] = differences(report);
    assert.is(stale!.cause!.time, timeOf(3));
    assert.match(stale!.message, /WorkloadEntry default\/test-we relabelled at seq 3: selector wants ready=true; the WorkloadEntry has ready=false/);
    assert.equal(stale!.reasons!.map((r) => r.code), ['LABEL_DIFFERS']);
  }
});

test('istio#25678 (delete): after a delete whose payload carries other labels, a kept endpoint is stale since the DELETED, even without metadata to name it', async () => {
  const dir = await logOf(scenario('delete-uses-last-known-object'));
  const { code, report } = await check(dir, [await file(clusterStatuses(await eds(dir, 2), 'envoy'), timeOf(3, 30_000))]);
  assert.is(code, 3);
  const [stale] = differences(report);
  assert.equal([stale!.kind, stale!.workload, stale!.cause?.seq, stale!.cause?.event, stale!.bug],
    ['stale', 'WorkloadEntry/default/test-we', 3, 'DELETED WorkloadEntry/default/test-we', 'istio#25678']);
  assert.match(stale!.message, /WorkloadEntry default\/test-we deleted at seq 3: WorkloadEntry default\/test-we does not exist at this point/);
});

test('istio#25309: after a sibling\'s removal the remaining endpoint at the service port is wrong-port, with the bug named', async () => {
  const dir = await logOf(scenario('endpoint-port-after-removal'));
  const clas = await eds(dir, 2);
  lbEndpointsOf(clas, 'outbound|80||httpbin.com')[0]!.endpoint.address.socketAddress.portValue = 80;
  const { code, report } = await check(dir, [await file(configDump(clas, timeOf(2, 30_000)))]);
  assert.is(code, 3);
  const [wrong] = differences(report);
  assert.equal([wrong!.kind, wrong!.address, wrong!.port, wrong!.truth?.port, wrong!.bug], ['wrong-port', '2.2.2.2', 80, 8080, 'istio#25309']);
  assert.match(wrong!.message, /the proxy has port 80, the service port instead of the target port after the removal of 3\.3\.3\.3:8080 at seq 2 \(the istio#25309 signature\)/);
  assert.equal(report.summary.differences, { 'wrong-port': 1 });
});

test('a wrong port that is not the service port is reported without naming a bug', async () => {
  const dir = await logOf(scenario('endpoint-port-after-removal'));
  const clas = await eds(dir, 2);
  lbEndpointsOf(clas, 'outbound|80||httpbin.com')[0]!.endpoint.address.socketAddress.portValue = 9999;
  const [wrong] = differences((await check(dir, [await file(clas)], '--at', '2')).report);
  assert.equal([wrong!.kind, wrong!.bug], ['wrong-port', undefined]);
});

test('whole clusters: one the truth has is missing-cluster, one for a port no ServiceEntry serves is extra-cluster; others are counted and ignored', async () => {
  const dir = await logOf(await demoEvents());
  const clas = await eds(dir, 7);
  const kept = clas.filter((c) => c.clusterName !== 'outbound|80||httpbin.com');
  kept.push({ clusterName: 'outbound|81||www.test.com' }, { clusterName: 'outbound|9080||reviews.default.svc.cluster.local' },
    { clusterName: 'outbound|80|v1|www.test.com' }, { clusterName: 'outbound|53||api.example.com' });
  const { code, report } = await check(dir, [await file(kept)], '--at', '7');
  assert.is(code, 3);
  assert.equal(differences(report).map((d) => [d.kind, d.cluster]), [
    ['missing-cluster', 'outbound|80||httpbin.com'], ['extra-cluster', 'outbound|81||www.test.com'],
  ]);
  assert.equal(report.summary.ignored, { other: 1, subset: 1, notEds: 1 });
});

test('a cluster of a ServiceEntry deleted by the point is extra-cluster, explained by the DELETED; one never in the log stays ignored', async () => {
  const gone = {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'gone', namespace: 'default' },
    spec: { hosts: ['gone.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', endpoints: [{ address: '10.9.9.9' }] },
  };
  const dir = await logOf([{ type: 'ADDED', object: gone }, { type: 'DELETED', object: gone }] as WatchEvent[]);
  const clas = await eds(dir, 1);
  clas.push({ clusterName: 'outbound|80||never.example.com' });
  const { code, report } = await check(dir, [await file(clas)], '--at', '2', '--settle', '0s');
  assert.is(code, 3);
  const [d, ...rest] = differences(report);
  assert.equal(rest, []);
  assert.equal([d!.kind, d!.cluster, d!.cause?.seq], ['extra-cluster', 'outbound|80||gone.example.com', 2]);
  assert.match(d!.message, /every ServiceEntry of gone\.example\.com was deleted/);
  assert.equal(report.summary.ignored, { other: 1, subset: 0, notEds: 0 });
});

test('--settle: a difference whose cause is within the window before the point is in flight, not drift (exit 0)', async () => {
  const dir = await logOf(scenario('workloadentry-relabel-then-delete'));
  const dump = await file(configDump(await eds(dir, 2), timeOf(3, 2000)));
  const settling = await check(dir, [dump]);
  assert.is(settling.code, 0);
  assert.equal([differences(settling.report)[0]!.kind, differences(settling.report)[0]!.inFlight], ['stale', true]);
  assert.equal([settling.report.summary.inFlight, settling.report.summary.differences], [1, {}]);
  assert.is((await check(dir, [dump], '--settle', '1500ms')).code, 3);
});

test('errors: a file that is no dump exits 1 with CHECK_UNKNOWN_DUMP, a missing file with CLI_NOT_FOUND, a bad --settle with 2', async () => {
  const dir = await logOf(await demoEvents());
  const notDump = await runMain(['check', '--log', dir, DEMO_STREAM]);
  assert.equal([notDump.code, notDump.out], [1, '']);
  assert.match(notDump.err, /^CHECK_UNKNOWN_DUMP: .*demo-stream\.json is not JSON/);
  const missing = await runMain(['check', '--log', dir, join(dir, 'nope.json')]);
  assert.equal([missing.code, /^CLI_NOT_FOUND: dump file .*nope\.json does not exist/.test(missing.err)], [1, true]);
  const settle = await runMain(['check', '--log', dir, await file([]), '--settle', '5']);
  assert.equal([settle.code, settle.err], [2, 'CLI_USAGE: --settle "5" is not a duration (e.g. 5s, 500ms, 2m, 1m30s)\n']);
  const none = await runMain(['check', '--log', dir]);
  assert.is(none.code, 2);
});

test.run();
