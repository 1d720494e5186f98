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

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (isPlainObject(inner) ? sortedKeys(inner) : inner));
}

function sortedKeys(value: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key];
  return sorted;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
