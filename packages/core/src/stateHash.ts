import { createHash } from 'node:crypto';
import type { ProjectionView } from './ProjectionView.js';

/**
 * sha256 of the canonical encoding: equal however the state was reached, on any machine.
 * Records are canonical by construction (fixed field order, map keys sorted by `toRecord`, lists
 * sorted by the view), so the native `JSON.stringify` is the canonical encoding — several times
 * faster than a key-sorting walk, which matters since snapshots hash the whole state.
 */
export function stateHash(view: ProjectionView): string {
  const hash = createHash('sha256');
  hash.update('{"objects":');
  hash.update(JSON.stringify(view.objects));
  hash.update(',"associations":');
  hash.update(JSON.stringify(view.associations));
  hash.update(',"endpoints":');
  hash.update(JSON.stringify(view.endpoints));
  return hash.update('}').digest('hex');
}
