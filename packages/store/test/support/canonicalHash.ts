import { createHash } from 'node:crypto';
import { canonicalJson } from '@meshfold/testing';

/**
 * sha256 of the canonical JSON (object keys sorted) of each item in turn, so equal data
 * hashes equal whatever its key order, without building one string for the whole log.
 */
export function canonicalHash(items: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(canonicalJson(item)).update('\n');
  return hash.digest('hex');
}

