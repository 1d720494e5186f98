import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = (name: string) => join(root, 'scripts', 'dist', name);

/** Every figure the README quotes, as a path into the bench's JSON. */
const FIGURES = [
  'seedScenario.inline.bytesPerEndpoint', 'seedScenario.selector.bytesPerEndpoint', 'seedScenario.growthRatio10x',
  'record.eventsPerSec', 'record.rawLevelEventsPerSec', 'replay.eventsPerSec', 'replay.rawLevelEventsPerSec',
  'relabel.costRatio100kVs1k', 'check.checkSeconds', 'check.ratioToParse', 'operator.ratio', 'timeTravel.p50Ms', 'timeTravel.p99Ms', 'timeTravel.withoutSnapshots.p50Ms', 'timeTravel.withoutSnapshots.p99Ms',
  'history.p50Ms', 'history.p99Ms', 'history.withoutLinkIndex.p50Ms', 'history.withoutLinkIndex.p99Ms',
  'jetstream.record.ratio', 'jetstream.record.appendRatio', 'jetstream.replay.ratio', 'jetstream.storedBytesPerEvent',
  'jetstream.singleNode.record.ratio', 'jetstream.singleNode.record.appendRatio', 'jetstream.singleNode.replay.ratio',
  'jetstream.timeTravel.p50Ms', 'jetstream.timeTravel.p99Ms', 'jetstream.singleNode.timeTravel.p50Ms', 'jetstream.singleNode.timeTravel.p99Ms',
];

/** Figures that may be 0 or below: a follower can fold an event a hair before its recorder has the acknowledgement. */
const SIGNED_FIGURES = ['jetstream.followerLag.p50Ms', 'jetstream.followerLag.p99Ms'];

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

test('bench --quick prints one JSON object with every figure as a positive number, and the machine', async () => {
  const { stdout } = await run(process.execPath, [script('bench.js'), '--quick'], { maxBuffer: 1 << 20, timeout: 180_000 });
  const figures = JSON.parse(stdout) as Record<string, unknown>;
  for (const path of FIGURES) {
    const value = at(figures, path);
    assert.type(value, 'number', path);
    assert.ok(Number.isFinite(value) && (value as number) > 0, `${path} = ${String(value)}`);
  }
  for (const path of SIGNED_FIGURES) assert.ok(Number.isFinite(at(figures, path)), `${path} = ${String(at(figures, path))}`);
  assert.is(at(figures, 'jetstream.replicas'), 3);
  assert.type(at(figures, 'machine.cpu'), 'string');
  assert.type(at(figures, 'machine.cores'), 'number');
  assert.match(String(at(figures, 'machine.node')), /^v\d+/);
  assert.is(figures.quick, true);
});

test('the generator writes a stream meshfold records whole: ServiceEntries and their selected workloads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshfold-gen-'));
  try {
    const file = join(dir, 'seed.json');
    await run(process.execPath, [script('generate.js'), '--ses', '3', '--endpoints', '4', '--mode', 'selector', '--out', file]);
    const meshfold = join(root, 'packages', 'replay', 'bin', 'meshfold.js');
    const log = join(dir, 'log');
    const { stdout } = await run(process.execPath, [meshfold, 'record', '--log', log, file]);
    assert.match(stdout, /recorded 15 events \(seq 1\.\.15\); rejected 0/);
    const { stdout: json } = await run(process.execPath, [meshfold, 'associations', '--log', log, '-o', 'json']);
    assert.is((JSON.parse(json) as { associations: unknown[] }).associations.length, 12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
