import type { AssociationRecord } from './Delta.js';
import { cmp, compareEndpoints, type EndpointRecord } from './EndpointRecord.js';
import type { ProjectionState } from './ProjectionState.js';
import type { ObjectRecord } from './records.js';
import { shardEndpoints } from './shardEndpoints.js';
import { selectedNames } from './stateIndexes.js';

/** The canonical, sorted form of a state: what hashes, snapshots and `-o json` are made of. */
export interface ProjectionView {
  readonly objects: readonly ObjectRecord[];
  readonly associations: readonly AssociationRecord[];
  readonly endpoints: readonly EndpointRecord[];
}

export function viewOf(state: ProjectionState): ProjectionView {
  return { objects: objectsOf(state), associations: associationsOf(state), endpoints: endpointsOf(state) };
}

/** Every object in `Kind/ns/name` order (`ServiceEntry/…` sorts before `WorkloadEntry/…`). */
export function objectsOf(state: ProjectionState): ObjectRecord[] {
  return [...state.serviceEntries.sorted(), ...state.workloadEntries.sorted()];
}

export function associationsOf(state: ProjectionState): AssociationRecord[] {
  const out: AssociationRecord[] = [];
  for (const serviceEntry of [...state.serviceEntries.keys()].sort()) {
    const se = state.serviceEntries.get(serviceEntry)!;
    for (const name of selectedNames(state, se)) out.push({ serviceEntry, workloadEntry: `${se.namespace}/${name}` });
  }
  return out;
}

/** All endpoints, or those of one host, in the documented order. */
export function endpointsOf(state: ProjectionState, filter: { host?: string } = {}): EndpointRecord[] {
  const out: EndpointRecord[] = [];
  for (const [namespace, host] of state.shards.shards()) {
    if (filter.host !== undefined && host !== filter.host) continue;
    out.push(...shardEndpoints(state, namespace, host));
  }
  return out.sort(compareEndpoints);
}

export function compareAssociations(a: AssociationRecord, b: AssociationRecord): number {
  return cmp(a.serviceEntry, b.serviceEntry) || cmp(a.workloadEntry, b.workloadEntry);
}
