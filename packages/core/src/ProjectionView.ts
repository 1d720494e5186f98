import { clustersOfHost, hostEndpoints, type Cluster } from './clusters.js';
import type { AssociationRecord } from './Delta.js';
import { cmp, compareEndpoints, type EndpointRecord } from './EndpointRecord.js';
import { mutable, type MutableState, type ProjectionState } from './internal/MutableState.js';
import type { ObjectRecord, ServiceEntryRecord, WorkloadEntryRecord } from './records.js';
import { nameKey } from './keys.js';
import { shardEndpoints } from './internal/shardEndpoints.js';
import { selectedNames, selectingServices, selectWorkloads } from './internal/stateIndexes.js';

/** The canonical, sorted form of a state: what hashes, snapshots and `-o json` are made of. */
export interface ProjectionView {
  readonly objects: readonly ObjectRecord[];
  readonly associations: readonly AssociationRecord[];
  readonly endpoints: readonly EndpointRecord[];
}

/** A ServiceEntry or WorkloadEntry named by its `namespace/name` key or by a record of it. */
export type ObjectRef = string | { readonly namespace: string; readonly name: string };

/** Objects, associations and endpoints of `state`, each sorted as documented. */
export function viewOf(state: ProjectionState): ProjectionView {
  return { objects: objectsOf(state), associations: associationsOf(state), endpoints: endpointsOf(state) };
}

/** Every object in `Kind/ns/name` order (`ServiceEntry/…` sorts before `WorkloadEntry/…`). */
export function objectsOf(state: ProjectionState): ObjectRecord[] {
  return sortedObjects(mutable(state));
}

export function sortedObjects(state: MutableState): ObjectRecord[] {
  return [...state.serviceEntries.sorted(), ...state.workloadEntries.sorted()];
}

/**
 * The record of one object, or `undefined` when the state does not hold it.
 *
 * @example
 * objectOf(projector.state, 'ServiceEntry', 'shop/orders')?.hosts
 */
export function objectOf(state: ProjectionState, kind: 'ServiceEntry', ref: ObjectRef): ServiceEntryRecord | undefined;
export function objectOf(state: ProjectionState, kind: 'WorkloadEntry', ref: ObjectRef): WorkloadEntryRecord | undefined;
export function objectOf(state: ProjectionState, kind: 'ServiceEntry' | 'WorkloadEntry', ref: ObjectRef): ObjectRecord | undefined;
export function objectOf(state: ProjectionState, kind: 'ServiceEntry' | 'WorkloadEntry', ref: ObjectRef): ObjectRecord | undefined {
  const { namespace, name } = splitRef(ref);
  const s = mutable(state);
  return kind === 'ServiceEntry' ? s.serviceEntries.getIn(namespace, name) : s.workloadEntries.getIn(namespace, name);
}

/** How many objects of each kind the state holds. */
export function sizeOf(state: ProjectionState): { readonly serviceEntries: number; readonly workloadEntries: number } {
  const s = mutable(state);
  return { serviceEntries: s.serviceEntries.size, workloadEntries: s.workloadEntries.size };
}

/** Every (ServiceEntry, WorkloadEntry) pair the fold associates, sorted by ServiceEntry then WorkloadEntry. */
export function associationsOf(state: ProjectionState): AssociationRecord[] {
  const s = mutable(state);
  const out: AssociationRecord[] = [];
  for (const serviceEntry of [...s.serviceEntries.keys()].sort()) {
    const se = s.serviceEntries.get(serviceEntry)!;
    for (const name of selectedNames(s, se)) out.push({ serviceEntry, workloadEntry: nameKey({ namespace: se.namespace, name }) });
  }
  return out;
}

/**
 * The WorkloadEntries ServiceEntry `se` selects, by name; `[]` when the state does not hold it.
 *
 * @example
 * selectedBy(projector.state, 'shop/orders').map((we) => we.address)
 */
export function selectedBy(state: ProjectionState, se: ObjectRef): WorkloadEntryRecord[] {
  const record = objectOf(state, 'ServiceEntry', se);
  return record ? selectWorkloads(mutable(state), record).sort((a, b) => cmp(a.name, b.name)) : [];
}

/**
 * The ServiceEntries selecting WorkloadEntry `we`, by name; `[]` when the state does not hold it.
 *
 * @example
 * selectorsOf(projector.state, 'shop/vm-1').map((se) => se.name)
 */
export function selectorsOf(state: ProjectionState, we: ObjectRef): ServiceEntryRecord[] {
  const record = objectOf(state, 'WorkloadEntry', we);
  if (!record) return [];
  const s = mutable(state);
  const inNamespace = s.serviceEntries.inNamespace(record.namespace);
  return selectingServices(s, record).sort().map((name) => inNamespace.get(name)!);
}

/** All endpoints, or those of one host, in the documented order. */
export function endpointsOf(state: ProjectionState, filter: { host?: string } = {}): EndpointRecord[] {
  const s = mutable(state);
  if (filter.host !== undefined) return hostEndpoints(s, filter.host);
  const out: EndpointRecord[] = [];
  for (const [namespace, host] of s.shards.shards()) out.push(...shardEndpoints(s, namespace, host));
  return out.sort(compareEndpoints);
}

/**
 * Every `outbound|port||host` cluster (or those of one host) with its endpoints merged across
 * namespaces, in cluster-name order: what an EDS server sends on a new connection.
 *
 * @example
 * for (const c of clustersOf(projector.state, 'orders.example.com')) push(c.name, c.endpoints);
 */
export function clustersOf(state: ProjectionState, host?: string): Cluster[] {
  const s = mutable(state);
  const hosts = host !== undefined ? [host] : [...new Set([...s.shards.shards()].map(([, h]) => h))];
  return hosts.flatMap((h) => clustersOfHost(h, hostEndpoints(s, h))).sort((a, b) => cmp(a.name, b.name));
}

/** The documented association order: ServiceEntry, then WorkloadEntry. */
export function compareAssociations(a: AssociationRecord, b: AssociationRecord): number {
  return cmp(a.serviceEntry, b.serviceEntry) || cmp(a.workloadEntry, b.workloadEntry);
}

function splitRef(ref: ObjectRef): { namespace: string; name: string } {
  if (typeof ref !== 'string') return ref;
  const slash = ref.indexOf('/');
  return slash < 0 ? { namespace: '', name: ref } : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
}
