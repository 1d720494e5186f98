import { compareEndpoints, type EndpointRecord } from './EndpointRecord.js';
import { splitShardKey, type ProjectionState } from './ProjectionState.js';
import { serviceEndpoints } from './serviceEndpoints.js';
import { selectWorkloads } from './stateIndexes.js';

/** The sorted endpoint list of one (host, namespace) shard; cost is proportional to the shard. */
export function shardEndpoints(state: ProjectionState, key: string): EndpointRecord[] {
  const { host } = splitShardKey(key);
  const out: EndpointRecord[] = [];
  for (const seKey of state.shards.get(key).sort()) {
    const se = state.serviceEntries.get(seKey);
    if (!se) continue;
    // Unsorted: compareEndpoints is a total order, so the sort below decides alone.
    out.push(...serviceEndpoints(se, host, selectWorkloads(state, se)));
  }
  return out.sort(compareEndpoints);
}
