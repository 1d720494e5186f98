// docs/errors.md is the reader's copy of the error registry: this holds its table to ERROR_CODES
// row by row, so neither can gain, lose or change a code without the other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_CODES, type ErrorCodeInfo } from '../src/index.js';
import { repoRoot } from './support/conformance.js';

const DOC = join(repoRoot(), 'docs', 'errors.md');

interface DocRow { code: string; exit: string; http: string; meaning: string; example: string }

/** The rows of the table whose first cell is a code in backticks. */
function docRows(): DocRow[] {
  const rows: DocRow[] = [];
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\| `([A-Z][A-Z0-9_]*)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \| (.+) \|$/.exec(line);
    if (m) rows.push({ code: m[1]!, exit: m[2]!.trim(), http: m[3]!.trim(), meaning: m[4]!.trim(), example: m[5]!.trim() });
  }
  return rows;
}

const cell = (status: number | null) => (status === null ? '—' : String(status));
const registry = Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][];

test('docs/errors.md lists every code of the registry, once', () => {
  const documented = docRows().map((r) => r.code);
  assert.equal([...new Set(documented)].length, documented.length, `a code is listed twice: ${documented.join(', ')}`);
  const missing = registry.map(([code]) => code).filter((code) => !documented.includes(code));
  assert.equal(missing, [], `codes in ERROR_CODES but not in docs/errors.md: ${missing.join(', ')}`);
});

test('docs/errors.md lists no code the registry does not declare', () => {
  const unknown = docRows().map((r) => r.code).filter((code) => !Object.hasOwn(ERROR_CODES, code));
  assert.equal(unknown, [], `codes in docs/errors.md but not in ERROR_CODES: ${unknown.join(', ')}`);
});

test('each row states the registry\'s exit status, HTTP status and meaning, and gives an example', () => {
  const byCode = new Map(docRows().map((r) => [r.code, r]));
  for (const [code, info] of registry) {
    const row = byCode.get(code);
    if (!row) continue; // reported by the first test
    assert.equal({ exit: row.exit, http: row.http }, { exit: cell(info.exit), http: cell(info.http) }, code);
    assert.is(row.meaning, info.meaning, `${code}: the meaning differs from ERROR_CODES`);
    assert.ok(row.example.length > 0, `${code}: no example`);
  }
});

test.run();
