import { endpointsOf, toClusterLoadAssignments, toClusters, type EndpointRecord } from '@meshfold/core';
import type { StateLoader } from './StateLoader.js';

/** `endpoints -o json` and `/api/endpoints`: the endpoints at `seq`, of one host or all. */
export async function endpointsJson(load: StateLoader, seq: number, host?: string): Promise<{ seq: number; endpoints: EndpointRecord[] }> {
  const { state } = await load(seq);
  return { seq, endpoints: endpointsOf(state, host === undefined ? {} : { host }) };
}

/** `endpoints -o eds` and `/api/eds`: the ClusterLoadAssignments of the EDS clusters. */
export async function edsJson(load: StateLoader, seq: number, host?: string): Promise<object[]> {
  return toClusterLoadAssignments((await endpointsJson(load, seq, host)).endpoints);
}

/**
 * `endpoints -o cds` and `/api/cds`: the clusters istiod sends through CDS alone (DNS,
 * ORIGINAL_DST), with a DNS cluster's own endpoints.
 */
export async function cdsJson(load: StateLoader, seq: number, host?: string): Promise<object[]> {
  return toClusters((await endpointsJson(load, seq, host)).endpoints);
}
