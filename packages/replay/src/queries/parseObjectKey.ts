import { MeshfoldError } from '@meshfold/core';

/**
 * `Kind/ns/name` as a user gave it (history's argument, `/api/history?object`), checked, with
 * the kind in any case written as the fold spells it.
 */
export function parseObjectKey(value: unknown): string {
  const text = String(value ?? '');
  const m = /^(ServiceEntry|WorkloadEntry)\/[^/\s]+\/[^/\s]+$/i.exec(text);
  if (!m) throw new MeshfoldError('CLI_USAGE', `object must be ServiceEntry/NAMESPACE/NAME or WorkloadEntry/NAMESPACE/NAME, got ${JSON.stringify(text)}`);
  const kind = m[1]!.toLowerCase() === 'serviceentry' ? 'ServiceEntry' : 'WorkloadEntry';
  return kind + text.slice(m[1]!.length);
}
