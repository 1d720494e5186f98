import { execFile } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { installTarballs } from './support/installTarballs.js';
import { packWorkspaces, type Tarball } from './support/packWorkspaces.js';
import { spawnServe } from './support/spawnServe.js';

/**
 * The three packages as a user gets them: packed by `npm pack` (prepack and all), installed from
 * the tarballs alone into an empty project outside the monorepo, then imported from ESM and from
 * CommonJS, type-checked as a strict TypeScript consumer would, and run as the `meshfold` binary.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'store', 'replay'] as const;
const SCENARIO = join(root, 'conformance', 'workloadentry-relabel-then-delete.json');

interface Scenario {
  events: unknown[];
  checkpoints: { seq: number; endpoints: Record<string, unknown>[] }[];
}

interface Context {
  work: string;
  project: string;
  tarballs: Tarball[];
  /** The scenario's events as kubectl prints a watch (NDJSON), for `meshfold record`. */
  stream: string;
}

const packaging = suite<Context>('packaging', { work: '', project: '', tarballs: [], stream: '' });

packaging.before(async (context) => {
  context.work = mkdtempSync(join(tmpdir(), 'meshfold-packaging-'));
  context.project = join(context.work, 'consumer');
  mkdirSync(context.project);
  context.tarballs = await packWorkspaces(root, PACKAGES.map((name) => `packages/${name}`), context.work);
  // @types/node at the version the repository builds with: the declarations refer to Node's types.
  const typesNode = readJson<{ version: string }>(join(root, 'node_modules', '@types', 'node', 'package.json')).version;
  await installTarballs(context.project, context.tarballs.map((tarball) => tarball.file), [`@types/node@${typesNode}`]);
  cpSync(join(root, 'scripts', 'test', 'fixtures', 'consumer'), context.project, { recursive: true });
  context.stream = join(context.work, 'stream.ndjson');
  writeFileSync(context.stream, scenario().events.map((event) => `${JSON.stringify(event)}\n`).join(''));
});

packaging.after((context) => {
  if (context.work !== '') rmSync(context.work, { recursive: true, force: true });
});

packaging('each tarball holds its compiled modules with declarations, README and LICENSE, and nothing else', ({ tarballs }) => {
  assert.equal(tarballs.map((tarball) => tarball.name), PACKAGES.map((name) => `@meshfold/${name}`));
  const license = readFileSync(join(root, 'LICENSE'));
  for (const [i, name] of PACKAGES.entries()) {
    const files = new Map(tarballs[i]!.files.map((file) => [file.path, file.size]));
    for (const path of ['package.json', 'README.md', 'LICENSE']) assert.ok(files.has(path), `${name}: ${path} is packed`);
    assert.is(files.get('LICENSE'), license.length, `${name}: the LICENSE packed is the root LICENSE`);

    // Every source module ships compiled, with its declarations; no build output without a source
    // (a stale one that a pack from this checkout would publish).
    const modules = sourceModules(join(root, 'packages', name, 'src'));
    const packed = [...files.keys()].filter((path) => path.startsWith('dist/src/'));
    const compiled = modules.flatMap((module) => [`dist/src/${module}.js`, `dist/src/${module}.d.ts`]);
    assert.equal(packed.filter((path) => !compiled.includes(path)), [],
      `${name}: build outputs without a source; remove packages/${name}/dist and run npm run build`);
    assert.equal(compiled.filter((path) => !files.has(path)), [], `${name}: modules missing from the tarball`);

    const allowed = name === 'replay'
      ? /^(package\.json|README\.md|LICENSE|dist\/src\/.+\.(js|d\.ts)|bin\/meshfold\.js|dist\/web\/[^/]+)$/
      : /^(package\.json|README\.md|LICENSE|dist\/src\/.+\.(js|d\.ts))$/;
    assert.equal([...files.keys()].filter((path) => !allowed.test(path)), [], `${name}: no tests, fixtures, sources or tsconfig`);
  }
  const replay = tarballs[2]!.files.map((file) => file.path);
  for (const path of ['bin/meshfold.js', 'dist/web/index.html', 'dist/web/app.js', 'dist/web/app.js.map', 'dist/web/style.css']) {
    assert.ok(replay.includes(path), `replay: ${path} is packed`);
  }
});

packaging('the packages installed are the tarballs (no workspace link), with one RxJS shared through the peer dependency', ({ project, tarballs }) => {
  const lock = readJson<{ packages: Record<string, { resolved?: string; link?: boolean }> }>(join(project, 'package-lock.json'));
  for (const [i, name] of PACKAGES.entries()) {
    const dir = join(project, 'node_modules', '@meshfold', name);
    assert.ok(lstatSync(dir).isDirectory() && !lstatSync(dir).isSymbolicLink(), `@meshfold/${name} is a directory`);
    assert.is(lock.packages[`node_modules/@meshfold/${name}`]?.resolved,
      `file:${relative(project, tarballs[i]!.file)}`, `@meshfold/${name} comes from its tarball`);
    assert.equal(readFileSync(join(dir, 'LICENSE')), readFileSync(join(root, 'LICENSE')));
  }
  // store and replay depend on @meshfold/core 0.1.0: the tarball satisfies them, no second copy.
  assert.equal(Object.keys(lock.packages).filter((path) => path.includes('@meshfold/')).sort(),
    PACKAGES.map((name) => `node_modules/@meshfold/${name}`).sort());
  const rxjs = createRequire(join(project, 'package.json')).resolve('rxjs');
  for (const name of ['core', 'store']) {
    assert.is(createRequire(join(project, 'node_modules', '@meshfold', name, 'package.json')).resolve('rxjs'), rxjs,
      `@meshfold/${name} uses the project's rxjs`);
  }
});

packaging('the main entry points are exported, and store\'s ./testing (the log conformance suite); nothing else', ({ project }) => {
  const projectRequire = createRequire(join(project, 'package.json'));
  for (const name of PACKAGES) {
    const manifest = readJson<{ exports: Record<string, unknown> }>(join(project, 'node_modules', '@meshfold', name, 'package.json'));
    assert.equal(Object.keys(manifest.exports), name === 'store' ? ['.', './testing'] : ['.'], `@meshfold/${name} exports`);
  }
  assert.throws(() => projectRequire.resolve('@meshfold/core/testing'), (err: NodeJS.ErrnoException) => err.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED');
});

packaging('@meshfold/store/testing, installed alone, runs its conformance suite against a disk log', async ({ project }) => {
  const { stdout } = await run(process.execPath, ['conformance.mjs'], { cwd: project, timeout: 120_000 });
  const { passed, failed } = JSON.parse(stdout) as { passed: number; failed: string[] };
  assert.equal(failed, []);
  assert.ok(passed >= 20, `${passed} cases passed`);
});

packaging('imported from an ES module, each package has the workspace build exports and folds the scenario', async ({ project }) => {
  const { stdout } = await run(process.execPath, ['esm.mjs', SCENARIO], { cwd: project, timeout: 60_000 });
  const seen = JSON.parse(stdout) as {
    exports: Record<string, string[]>; folded: Record<string, unknown>[]; loaded: Record<string, unknown>[];
    recordedSeqs: number[]; tailedSeqs: number[]; edsClusters: string[];
  };
  for (const name of PACKAGES) {
    assert.equal(seen.exports[name], Object.keys(await import(`@meshfold/${name}`)), `@meshfold/${name}: the same exports as the workspace build`);
  }
  const { events, expected } = lastCheckpoint();
  assertEndpoints(seen.folded, expected);
  assert.equal(seen.loaded, seen.folded, 'the state the store loads back is the one project() reached');
  const seqs = events.map((_, i) => i + 1);
  assert.equal(seen.recordedSeqs, seqs);
  assert.equal(seen.tailedSeqs, seqs);
  assert.equal(seen.edsClusters, [...new Set(expected.map((e) => `outbound|${String(e.servicePort)}||${String(e.host)}`))]);
});

packaging('required from CommonJS, each package has the same exports and folds the scenario', async ({ project }) => {
  const { stdout } = await run(process.execPath, ['cjs.cjs', SCENARIO], { cwd: project, timeout: 60_000 });
  const seen = JSON.parse(stdout) as { exports: Record<string, string[]>; folded: Record<string, unknown>[]; readSeqs: number[]; mainIsFunction: boolean };
  for (const name of PACKAGES) {
    assert.equal(seen.exports[name], Object.keys(await import(`@meshfold/${name}`)), `@meshfold/${name}: the same exports as the workspace build`);
  }
  const { events, expected } = lastCheckpoint();
  assertEndpoints(seen.folded, expected);
  assert.equal(seen.readSeqs, events.map((_, i) => i + 1));
  assert.is(seen.mainIsFunction, true);
});

packaging('a strict TypeScript consumer type-checks against the shipped declarations, from ESM and CommonJS', async ({ project }) => {
  // Written from the READMEs: only the packages' entry points, and no type assertion to get by.
  for (const file of ['typed.mts', 'typed.cts']) {
    const source = readFileSync(join(project, file), 'utf8');
    assert.not.match(source, /@meshfold\/[a-z]+\//, `${file}: a deep import`);
    assert.not.match(source, /\bas (?!const\b)[A-Z{(]|<[A-Z]\w*>\s*\w/, `${file}: a cast`);
  }
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', join(project, 'tsconfig.json')], { cwd: project, timeout: 120_000 })
    .catch((err: { stdout?: string }) => assert.unreachable(`tsc reported:\n${err.stdout ?? String(err)}`));
});

packaging('the installed meshfold binary records a stream and reports its endpoints as JSON, now and at an earlier seq', async ({ project, work, stream }) => {
  const meshfold = join(project, 'node_modules', '.bin', 'meshfold');
  const { events, expected } = lastCheckpoint();
  const log = join(work, 'log');

  const { stdout: recorded } = await run(meshfold, ['record', '--log', log, stream], { timeout: 60_000 });
  assert.match(recorded, `recorded ${events.length} events (seq 1..${events.length}); rejected 0`);

  const { stdout: now } = await run(meshfold, ['endpoints', '--log', log, '-o', 'json'], { timeout: 60_000 });
  const latest = JSON.parse(now) as { seq: number; endpoints: Record<string, unknown>[] };
  assert.is(latest.seq, events.length);
  assertEndpoints(latest.endpoints, expected);

  // seq 3 relabels the WorkloadEntry out of the selector (istio#25678): its endpoint is gone there.
  const relabel = scenario().checkpoints.find((checkpoint) => checkpoint.seq === 3)!;
  const { stdout: then } = await run(meshfold, ['endpoints', '--log', log, '--at', '3', '-o', 'json'], { timeout: 60_000 });
  const atRelabel = JSON.parse(then) as { seq: number; endpoints: Record<string, unknown>[] };
  assert.is(atRelabel.seq, 3);
  assertEndpoints(atRelabel.endpoints, relabel.endpoints);
});

packaging('meshfold serve from the installed package serves the inspector page it ships and the API', async ({ project, work, stream }) => {
  const meshfold = join(project, 'node_modules', '.bin', 'meshfold');
  const shipped = join(project, 'node_modules', '@meshfold', 'replay', 'dist', 'web');
  const log = join(work, 'served-log');
  await run(meshfold, ['record', '--log', log, stream], { timeout: 60_000 });
  const server = await spawnServe(meshfold, log);
  try {
    const page = await fetch(server.url);
    assert.is(page.status, 200);
    assert.is(await page.text(), readFileSync(join(shipped, 'index.html'), 'utf8'));
    for (const asset of ['app.js', 'app.js.map', 'style.css']) {
      const response = await fetch(new URL(asset, server.url));
      assert.is(response.status, 200, asset);
      assert.is(await response.text(), readFileSync(join(shipped, asset), 'utf8'), `${asset} is the tarball's`);
    }
    const summary = await fetch(new URL('api/summary', server.url));
    assert.is((await summary.json() as { lastSeq: number }).lastSeq, scenario().events.length);
  } finally {
    assert.is(await server.stop(), 0, 'meshfold serve exits 0 on SIGTERM');
  }
});

packaging.run();

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function scenario(): Scenario {
  return readJson<Scenario>(SCENARIO);
}

/** The scenario's events and what its last checkpoint (the end of the stream) expects. */
function lastCheckpoint(): { events: unknown[]; expected: Record<string, unknown>[] } {
  const { events, checkpoints } = scenario();
  const last = checkpoints.at(-1)!;
  assert.is(last.seq, events.length, 'the last checkpoint is the end of the stream');
  assert.ok(last.endpoints.length > 0, 'the end of the stream has endpoints to find');
  return { events, expected: last.endpoints };
}

/** `actual` holds exactly the expected endpoints, compared on the fields the scenario lists. */
function assertEndpoints(actual: readonly Record<string, unknown>[], expected: readonly Record<string, unknown>[]): void {
  const fields = [...new Set(expected.flatMap((endpoint) => Object.keys(endpoint)))];
  const key = (endpoint: Record<string, unknown>) => JSON.stringify(fields.map((field) => endpoint[field]));
  assert.equal(actual.map(key).sort(), expected.map(key).sort());
}

/** Module paths (`serve/Router`) of the TypeScript sources under `dir`. */
function sourceModules(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sourceModules(join(dir, entry.name), `${prefix}${entry.name}/`);
    return entry.name.endsWith('.ts') ? [`${prefix}${entry.name.slice(0, -'.ts'.length)}`] : [];
  });
}
