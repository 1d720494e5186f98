// `meshfold check` as a cron job or CI runs it: the real binary, a dump file, the exit status.
import { writeFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliOk, DEMO_STREAM, runCli, tempDir, type TempDir } from './support/cli.js';
import { configDump, dropEndpoint, type Json } from './support/dumps.js';

let dir: TempDir;
let log: string;
test.before(async () => {
  dir = await tempDir();
  log = dir.join('log');
  await cliOk(['record', '--log', log, DEMO_STREAM]);
});
test.after(async () => { await dir?.remove(); });

async function edsAt(seq: number): Promise<Json[]> {
  return JSON.parse((await cliOk(['endpoints', '--log', log, '--at', String(seq), '-o', 'eds'])).stdout) as Json[];
}

test('a dump equal to the truth exits 0 and a tampered one exits 3 with its difference; a file that is no dump exits 1', async () => {
  const clas = await edsAt(7);
  const equal = await dir.write('equal.json', JSON.stringify(configDump(clas, '2030-01-01T00:00:00Z')));
  const same = await runCli(['check', '--log', log, equal, '--at', '7']);
  assert.is(same.code, 0, same.stderr);

  dropEndpoint(clas, 'outbound|80||orders.shop.internal', '10.0.0.1');
  const tampered = await dir.write('tampered.json', JSON.stringify(configDump(clas, '2030-01-01T00:00:00Z')));
  const drift = await runCli(['check', '--log', log, tampered, '--at', '7', '--settle', '0s', '-o', 'json']);
  assert.is(drift.code, 3, drift.stderr);
  const report = JSON.parse(drift.stdout) as { drift: boolean; checks: { clusters: { cluster: string; differences: { kind: string }[] }[] }[] };
  assert.is(report.drift, true);
  const kinds = report.checks[0]!.clusters.flatMap((c) => c.differences.map((d) => `${c.cluster} ${d.kind}`));
  assert.equal(kinds, ['outbound|80||orders.shop.internal missing']);

  const notADump = dir.join('not-a-dump.json');
  await writeFile(notADump, '{"kind":"Pod"}');
  const bad = await runCli(['check', '--log', log, notADump]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /^CHECK_UNKNOWN_DUMP: /);
});

test.run();
