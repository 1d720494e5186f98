import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Each package's sources; replay's page is a tree of its own, bundled apart. */
const TREES = ['packages/core/src', 'packages/store/src', 'packages/replay/src', 'packages/replay/web/src'];

/**
 * Relative imports of a module that load it at run time: `import type` / `export type` are erased
 * by the compiler and order no module's evaluation, so they are left out.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type\b)?[^'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) {
    if (m[2]) continue;
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

for (const tree of TREES) {
  test(`${tree}: no module imports itself through others`, () => {
    assert.is(findCycle(sources(join(root, tree)), importsOf)?.map((f) => relative(root, f)), undefined);
  });
}

test('the walk finds a cycle through several modules, and none in a diamond', () => {
  const graph: Record<string, string[]> = { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] };
  assert.is(findCycle(Object.keys(graph), (f) => graph[f]!), undefined);
  graph.d = ['a'];
  assert.equal(findCycle(Object.keys(graph), (f) => graph[f]!), ['a', 'b', 'd', 'a']);
});

test.run();
