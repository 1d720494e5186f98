import { clusterType, objectOf, objectsOf, parseObjectKey, type ProjectionState, type Resolution } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';

/** A host only ServiceEntries gone by the point had: whether istiod served it by EDS, and those objects. */
export interface GoneHost {
  readonly eds: boolean;
  readonly serviceEntries: readonly string[];
}

/**
 * The hosts of ServiceEntries the log recorded before `seq` that no longer exist at `seq` (and of
 * no live one): a proxy still holding such a cluster holds one the control plane should have
 * removed. Each gone ServiceEntry's hosts come from its last version, not its delete payload.
 */
export async function goneServiceEntryHosts(log: EventLog, state: ProjectionState, seq: number): Promise<Map<string, GoneHost>> {
  const live = new Set<string>();
  for (const se of objectsOf(state)) if (se.kind === 'ServiceEntry') for (const host of se.hosts) live.add(host);
  const gone = new Map<string, { eds: boolean; serviceEntries: string[] }>();
  for (const identity of await log.identities('ServiceEntry/')) {
    const ref = parseObjectKey(identity);
    if (!ref || objectOf(state, 'ServiceEntry', ref)) continue;
    const seqs = await log.seqsOf(identity, { to: seq });
    for (let i = seqs.length - 1; i >= 0; i--) {
      const event = await log.get(seqs[i]!);
      if (!event || event.type === 'DELETED') continue;
      const spec = (event.object.spec ?? {}) as { hosts?: unknown; resolution?: unknown };
      const eds = clusterType((typeof spec.resolution === 'string' ? spec.resolution : 'NONE') as Resolution) === 'EDS';
      for (const host of Array.isArray(spec.hosts) ? spec.hosts : []) {
        if (typeof host !== 'string' || live.has(host)) continue;
        const entry = gone.get(host) ?? gone.set(host, { eds: false, serviceEntries: [] }).get(host)!;
        entry.eds ||= eds;
        entry.serviceEntries.push(identity);
      }
      break;
    }
  }
  return gone;
}
