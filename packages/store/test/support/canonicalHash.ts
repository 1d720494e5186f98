import { createHash } from 'node:crypto';

/**
 * sha256 of the canonical JSON (object keys sorted) of each item in turn, so equal data
 * hashes equal whatever its key order, without building one string for the whole log.
 */
export function canonicalHash(items: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(canonicalJson(item)).update('\n');
  return hash.digest('hex');
}

/** JSON with object keys sorted at every depth, so insertion order never leaks into the hash. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
