import type { ServiceEntryRecord, WorkloadEntryRecord } from '../records.js';
import { LabelIndex } from './LabelIndex.js';
import { ObjectMap } from './ObjectMap.js';
import { SetMultimap } from './SetMultimap.js';
import { ShardIndex } from './ShardIndex.js';

declare const opaque: unique symbol;

/**
 * The fold's state, read-only and opaque: what a `Projector` holds and each step of `project()`
 * carries. Read it with the query functions (`endpointsOf`, `associationsOf`, `clustersOf`,
 * `selectedBy`, `selectorsOf`, `objectsOf`, `objectOf`, `sizeOf`, `viewOf`); only the fold changes it.
 *
 * @example
 * const projector = new Projector();
 * projector.apply({ type: 'ADDED', object: serviceEntry });
 * endpointsOf(projector.state, { host: 'orders.example.com' });
 */
export interface ProjectionState {
  /** Only a type: there is no such property, and nothing of the state is reachable through it. */
  readonly [opaque]: 'ProjectionState';
}

/** The state behind an opaque handle: for the fold and its queries only. */
export function mutable(state: ProjectionState): MutableState {
  return state as unknown as MutableState;
}

/** The opaque handle handed out for a state. */
export function opaqueState(state: MutableState): ProjectionState {
  return state as unknown as ProjectionState;
}

/**
 * The fold's state. Everything beyond the two object maps is an index that lets one change
 * find exactly what it affects: never a scan of the mesh. Associations are not stored but
 * derived from these: a ServiceEntry's workloads from the label index (`selectWorkloads`), a
 * workload's ServiceEntries from the selector index and its stored record (`selectingServices`;
 * the stored record is the last version seen, never a delete payload: istio#25678).
 * Objects and shards are kept by namespace, then name or host: members of the indexes are
 * names within a namespace, and no joined `ns/name` key string is stored per object.
 */
export interface MutableState {
  /** By namespace and name: ServiceEntry members of the indexes below are names within the namespace. */
  readonly serviceEntries: ObjectMap<ServiceEntryRecord>;
  /** By namespace and name: workload members of the indexes below are names within the namespace. */
  readonly workloadEntries: ObjectMap<WorkloadEntryRecord>;
  /**
   * (ns, key, value) → names of the WorkloadEntries carrying that label, to select for a ServiceEntry. Only
   * label keys some selector in the namespace has used are indexed (`hasKey`): most labels
   * (version, topology, …) are never selected on, and indexing them would cost memory per workload.
   */
  readonly workloadsByLabel: LabelIndex;
  /** (ns, key, value) → ServiceEntries whose selector has that label, to find candidates for a WorkloadEntry. */
  readonly selectorsByLabel: LabelIndex;
  /** ns → ServiceEntries with an empty selector (they select every workload in the namespace). */
  readonly emptySelectors: SetMultimap;
  /** (ns, host) → ServiceEntries contributing endpoints to that EDS shard. */
  readonly shards: ShardIndex;
}

export function createState(): MutableState {
  return {
    serviceEntries: new ObjectMap(),
    workloadEntries: new ObjectMap(),
    workloadsByLabel: new LabelIndex(),
    selectorsByLabel: new LabelIndex(),
    emptySelectors: new SetMultimap(),
    shards: new ShardIndex(),
  };
}

export function shardKey(namespace: string, host: string): string {
  return `${namespace}/${host}`;
}

export function splitShardKey(key: string): { namespace: string; host: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), host: key.slice(slash + 1) };
}
