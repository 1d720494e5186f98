import { compareEndpoints, type EndpointRecord } from './EndpointRecord.js';
import { splitShardKey, type ProjectionState } from './ProjectionState.js';
import type { WorkloadRecord } from './records.js';
import { serviceEndpoints } from './serviceEndpoints.js';

/** The sorted endpoint list of one (host, namespace) shard; cost is proportional to the shard. */
export function shardEndpoints(state: ProjectionState, key: string): EndpointRecord[] {
  const { host } = splitShardKey(key);
  const out: EndpointRecord[] = [];
  for (const seKey of state.shards.get(key).sort()) {
    const se = state.serviceEntries.get(seKey);
    if (!se) continue;
    out.push(...serviceEndpoints(se, host, selectedWorkloads(state, seKey, se.namespace)));
  }
  return out.sort(compareEndpoints);
}

export function selectedWorkloads(state: ProjectionState, seKey: string, namespace: string): WorkloadRecord[] {
  const out: WorkloadRecord[] = [];
  const inNamespace = state.workloadEntries.inNamespace(namespace);
  for (const name of state.selected.get(seKey).sort()) {
    const we = inNamespace.get(name);
    if (we) out.push(we);
  }
  return out;
}
