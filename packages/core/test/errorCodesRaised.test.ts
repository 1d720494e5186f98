// The registry is closed: tsc rejects a code it does not declare wherever a value is typed
// ErrorCode. This covers what the type checker cannot see: codes in plain strings, in untyped
// code (the bundled page, .mjs scripts), in messages and comments, casts that switch the check
// off, and codes assembled from pieces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_CODES } from '../src/index.js';
import { repoRoot } from './support/conformance.js';

const ROOT = repoRoot();
const CODES = new Set(Object.keys(ERROR_CODES));
/** `INPUT`, `STORE`, … and the codes that are a family of their own (`INTERNAL`). */
const FAMILIES = [...new Set([...CODES].map((code) => code.split('_')[0]!))];
const FAMILY = FAMILIES.join('|');

/** Every source file that ships or runs: packages' src, web, bin and scripts, and the repo's scripts; no tests, no build output. */
function sourceFiles(): string[] {
  const roots = [
    ...readdirSync(join(ROOT, 'packages')).flatMap((pkg) => ['src', 'web', 'bin', 'scripts'].map((d) => join(ROOT, 'packages', pkg, d))),
    join(ROOT, 'scripts'),
  ];
  const files: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const name of names) {
      if (name === 'node_modules' || name === 'dist' || name === 'test') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|js|mjs|html)$/.test(name)) files.push(path);
    }
  };
  roots.forEach(walk);
  return files;
}

/** `file:line: text` for each match of `pattern` (global) in the sources, filtered by `keep`. */
function occurrences(pattern: RegExp, keep: (match: RegExpExecArray) => boolean): string[] {
  const found: string[] = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(pattern)) {
      if (!keep(m as RegExpExecArray)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      found.push(`${relative(ROOT, file)}:${line}: ${m[0]}`);
    }
  }
  return found;
}

test('the scan sees the sources: every package\'s src and the scripts', () => {
  const files = sourceFiles().map((f) => relative(ROOT, f));
  for (const expected of ['packages/core/src/errorCodes.ts', 'packages/store/src/storeError.ts', 'packages/replay/src/cli/main.ts', 'packages/replay/web/src/api.ts', 'scripts/demo.ts']) {
    assert.ok(files.includes(expected), `${expected} is scanned`);
  }
});

test('every error code named in the sources (strings, messages, comments) is in the registry', () => {
  const unknown = occurrences(new RegExp(`\\b(?:${FAMILY})(?:_[A-Z0-9]+)+\\b`, 'g'), (m) => !CODES.has(m[0]));
  assert.equal(unknown, [], 'codes not in ERROR_CODES (packages/core/src/errorCodes.ts)');
});

test('no code is assembled from pieces', () => {
  // `STORE_${kind}` or 'STORE_' + kind: a code the registry and the type checker cannot see.
  assert.equal(occurrences(new RegExp(`\\b(?:${FAMILY})_(?![A-Z0-9])`, 'g'), () => true), []);
});

test('nothing casts its way into ErrorCode', () => {
  assert.equal(occurrences(/\bas\s+(?:unknown\s+as\s+)?ErrorCode\b|<ErrorCode>/g, () => true), []);
});

test('MeshfoldError is only given a registered literal or a typed value as its code', () => {
  const bad = occurrences(/\bMeshfoldError\(\s*([^,)]*)/g, (m) => {
    const arg = m[1]!.trim();
    const literal = /^(['"])([^'"]*)\1$/.exec(arg);
    if (literal) return !CODES.has(literal[2]!);
    return /[`'"+]/.test(arg); // a template or a concatenation
  });
  assert.equal(bad, []);
});

test.run();
