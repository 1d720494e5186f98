import type { EndpointRecord } from './EndpointRecord.js';

/** `ns/name` of a ServiceEntry and a WorkloadEntry, as `meshfold associations` prints them. */
export interface AssociationRecord {
  readonly serviceEntry: string;
  readonly workloadEntry: string;
}

/** What one change did to the projections. A change that changes nothing yields no delta. */
export type Delta =
  | { readonly type: 'service-added' | 'service-updated' | 'service-removed'; readonly serviceEntry: string; readonly host: string; readonly namespace: string }
  | ({ readonly type: 'association-added' | 'association-removed' } & AssociationRecord)
  /** The full new endpoint list of one (host, namespace), like an EDS push; `[]` empties it. */
  | { readonly type: 'shard-replaced'; readonly host: string; readonly namespace: string; readonly endpoints: readonly EndpointRecord[] };
