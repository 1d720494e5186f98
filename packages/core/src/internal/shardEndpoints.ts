import { compareEndpoints, type EndpointRecord } from '../EndpointRecord.js';
import type { MutableState } from './MutableState.js';
import { serviceEndpoints } from '../serviceEndpoints.js';
import { selectWorkloads } from './stateIndexes.js';

/** The sorted endpoint list of one (host, namespace) shard; cost is proportional to the shard. */
export function shardEndpoints(state: MutableState, namespace: string, host: string): EndpointRecord[] {
  const out: EndpointRecord[] = [];
  const inNamespace = state.serviceEntries.inNamespace(namespace);
  // Unsorted ServiceEntries and workloads: compareEndpoints is a total order, so the sort below decides alone.
  for (const name of state.shards.get(namespace, host)) {
    const se = inNamespace.get(name);
    if (!se) continue;
    out.push(...serviceEndpoints(se, host, selectWorkloads(state, se)));
  }
  return out.sort(compareEndpoints);
}
