import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Each package's sources; replay's page is a tree of its own, bundled apart. */
const TREES = ['packages/core/src', 'packages/store/src', 'packages/replay/src', 'packages/replay/web/src'];

/**
 * Relative imports of a module. By default those that load it at run time: `import type` /
 * `export type` are erased by the compiler and order no module's evaluation, so a cycle through
 * them is harmless and they are left out. A layer is a design dependency, so the layer check
 * passes `types: true` and counts them too.
 */
function importsOf(file: string, { types = false } = {}): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type\b)?[^'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) {
    if (m[2] && !types) continue;
    const target = resolve(dirname(file), (m[3] ?? m[4])!.replace(/\.js$/, '.ts'));
    if (existsSync(target)) out.push(target);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A cycle in the import graph from `files`, or undefined. */
function findCycle(files: string[], importsOf: (file: string) => string[]): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of importsOf(file)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * replay's layers: which folders of packages/replay/src each folder may import (besides itself).
 * cli → recording → serve → check → queries → linkIndex (history's index, which recording also
 * writes), and io beside them for cli and recording; index.ts
 * (the package's surface) may import any. A folder missing here fails the check until it is placed.
 */
const REPLAY_LAYERS: Readonly<Record<string, readonly string[]>> = {
  'index.ts': ['cli', 'recording', 'serve', 'check', 'queries', 'linkIndex', 'io'],
  cli: ['recording', 'serve', 'check', 'queries', 'linkIndex', 'io'],
  recording: ['serve', 'queries', 'linkIndex', 'io'],
  serve: ['check', 'queries'],
  check: ['queries'],
  queries: ['linkIndex'],
  linkIndex: [],
  io: [],
};

/**
 * Imports that break the layers: `from → to` for each import from one layer into another it may
 * not use. `layerOf` names a module's layer.
 */
function layerViolations(
  files: string[], importsOf: (file: string) => string[], layerOf: (file: string) => string,
  layers: Readonly<Record<string, readonly string[]>>,
): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    const allowed = layers[from];
    if (!allowed) {
      out.push(`${file}: ${from} is not a layer (place it in REPLAY_LAYERS)`);
      continue;
    }
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (to !== from && !allowed.includes(to)) out.push(`${file} → ${target} (${from} may not import ${to})`);
    }
  }
  return out;
}

for (const tree of TREES) {
  test(`${tree}: no module imports itself through others`, () => {
    assert.is(findCycle(sources(join(root, tree)), importsOf)?.map((f) => relative(root, f)), undefined);
  });
}

test('packages/replay/src: no folder imports one above it (types included)', () => {
  const src = join(root, 'packages/replay/src');
  const layerOf = (file: string) => relative(src, file).split(/[\\/]/)[0]!;
  const violations = layerViolations(sources(src), (f) => importsOf(f, { types: true }), layerOf, REPLAY_LAYERS);
  assert.equal(violations.map((v) => v.replaceAll(`${src}/`, '')), []);
});

test('the walk finds a cycle through several modules, and none in a diamond', () => {
  const graph: Record<string, string[]> = { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] };
  assert.is(findCycle(Object.keys(graph), (f) => graph[f]!), undefined);
  graph.d = ['a'];
  assert.equal(findCycle(Object.keys(graph), (f) => graph[f]!), ['a', 'b', 'd', 'a']);
});

test('the layer check refuses an import upwards and an unplaced folder, and allows one downwards', () => {
  const graph: Record<string, string[]> = { 'cli/main': ['serve/start', 'queries/q'], 'serve/start': ['queries/q'], 'queries/q': [] };
  const layerOf = (f: string) => f.split('/')[0]!;
  assert.equal(layerViolations(Object.keys(graph), (f) => graph[f]!, layerOf, REPLAY_LAYERS), []);
  graph['serve/start'] = ['cli/main'];
  graph['queries/q'] = ['serve/start'];
  graph['extra/x'] = [];
  assert.equal(layerViolations(Object.keys(graph), (f) => graph[f]!, layerOf, REPLAY_LAYERS), [
    'serve/start → cli/main (serve may not import cli)',
    'queries/q → serve/start (queries may not import serve)',
    'extra/x: extra is not a layer (place it in REPLAY_LAYERS)',
  ]);
});

test.run();
