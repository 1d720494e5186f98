/**
 * The validation tables (`<repo>/conformance/validation/*.json`): Istio's own webhook test cases
 * re-expressed as data, plus the CRD-schema, API-server metadata and webhook-edge rules. Each case
 * becomes a whole Kubernetes object; the library test judges it with `validateObject`, the CLI test
 * records all of them with `meshfold record`, and both must agree with the case's `expect`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './conformance.js';

export interface ValidationCase {
  /** `<table file>#<id>`. */
  readonly label: string;
  readonly id: string;
  readonly source: string;
  readonly expect: 'accept' | 'reject';
  readonly object: Record<string, unknown>;
}

export function validationDir(root: string = repoRoot()): string {
  return resolve(root, 'conformance', 'validation');
}

/** Every case of every table, in file then table order; a malformed case throws naming it. */
export function loadValidationCases(dir: string = validationDir()): ValidationCase[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no validation tables (*.json) in ${dir}`);
  return files.flatMap((file) => {
    const table = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cases?: unknown };
    if (!Array.isArray(table.cases)) throw new Error(`${file}: "cases" must be an array`);
    return (table.cases as Record<string, unknown>[]).map((c) => toCase(file, c));
  });
}

function toCase(file: string, c: Record<string, unknown>): ValidationCase {
  const id = c.id;
  if (typeof id !== 'string' || id === '') throw new Error(`${file}: a case has no id`);
  const label = `${file}#${id}`;
  if (c.expect !== 'accept' && c.expect !== 'reject') throw new Error(`${label}: "expect" must be accept or reject`);
  if (c.kind !== 'ServiceEntry' && c.kind !== 'WorkloadEntry') throw new Error(`${label}: unknown kind`);
  const extra = expand(c.metadata ?? {}) as Record<string, unknown>;
  const metadata = c.replaceMetadata === true ? extra : { name: id, namespace: 'bar', ...extra };
  const object: Record<string, unknown> = { apiVersion: 'networking.istio.io/v1', kind: c.kind, metadata };
  if (c.spec !== undefined) object.spec = expand(c.spec);
  return { label, id, source: String(c.source), expect: c.expect, object };
}

/**
 * The tables' shorthand for long values: `{"$repeat": s, "times": n}` (a string),
 * `{"$items": n, "each": t}` (a list), `{"$entries": n, "key": k, "value": v}` (a map); in each copy
 * the string `"{n}"` becomes the number 1..n and `{n}` inside a longer string is replaced by it.
 */
export function expand(v: unknown, n?: number): unknown {
  if (typeof v === 'string') {
    if (n === undefined) return v;
    return v === '{n}' ? n : v.replaceAll('{n}', String(n));
  }
  if (Array.isArray(v)) return v.map((x) => expand(x, n));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o.$repeat === 'string') return o.$repeat.repeat(o.times as number);
  if (typeof o.$items === 'number') return Array.from({ length: o.$items }, (_, i) => expand(o.each, i + 1));
  if (typeof o.$entries === 'number') {
    return Object.fromEntries(Array.from({ length: o.$entries }, (_, i) =>
      [expand(o.key, i + 1) as string, expand(o.value, i + 1)]));
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expand(x, n)]));
}
