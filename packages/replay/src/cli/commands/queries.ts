import {
  associationsOf, changedFields, clusterName, endpointAddress, endpointsOf, toClusterLoadAssignments, toClusters, type AssociationRecord, type EndpointRecord, type Projector,
} from '@meshfold/core';
import { loadState, type EventLog } from '@meshfold/store';
import { diffStates, type StateDiff, type StatePoint } from '../../queries/diffStates.js';
import { formatTable } from '../formatTable.js';
import type { Io } from '../../io/Io.js';
import { outputFormat, resolvePoint } from '../../queries/resolvePoint.js';

export interface PointOptions { at?: string | number; host?: string; o?: string }

/** The projection after a seq: the CLI loads it from snapshots, the inspector from its warm cache. */
export type StateLoader = (seq: number) => Promise<Projector>;

/** The state at a point, from the nearest snapshot plus its tail. */
export function snapshotLoader(log: EventLog, io: Io): StateLoader {
  return (seq) => loadState(log, seq, { onReport: (r) => io.err(`warning: ${r.code}: ${r.message}\n`) });
}

export async function statePoint(load: StateLoader, seq: number): Promise<StatePoint> {
  const { state } = await load(seq);
  return { seq, endpoints: endpointsOf(state), associations: associationsOf(state) };
}

// The `-o json` values, shared by the CLI and the inspector's HTTP API.

export async function endpointsJson(load: StateLoader, seq: number, host?: string): Promise<{ seq: number; endpoints: EndpointRecord[] }> {
  const { state } = await load(seq);
  return { seq, endpoints: endpointsOf(state, host === undefined ? {} : { host }) };
}

export async function edsJson(load: StateLoader, seq: number, host?: string): Promise<object[]> {
  return toClusterLoadAssignments((await endpointsJson(load, seq, host)).endpoints);
}

/** The clusters istiod sends through CDS alone (DNS, ORIGINAL_DST), with a DNS cluster's own endpoints. */
export async function cdsJson(load: StateLoader, seq: number, host?: string): Promise<object[]> {
  return toClusters((await endpointsJson(load, seq, host)).endpoints);
}

export async function associationsJson(load: StateLoader, seq: number): Promise<{ seq: number; associations: AssociationRecord[] }> {
  return { seq, associations: associationsOf((await load(seq)).state) };
}

export async function diffJson(load: StateLoader, from: number, to: number): Promise<StateDiff> {
  return diffStates(await statePoint(load, from), await statePoint(load, to));
}

export async function endpoints(log: EventLog, options: PointOptions, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'wide', 'json', 'eds', 'cds'] as const);
  const seq = await resolvePoint(log, options.at);
  const host = options.host === undefined ? undefined : String(options.host);
  const load = snapshotLoader(log, io);
  if (format === 'json') io.out(json(await endpointsJson(load, seq, host)));
  else if (format === 'eds') io.out(json(await edsJson(load, seq, host)));
  else if (format === 'cds') io.out(json(await cdsJson(load, seq, host)));
  else io.out(endpointTable((await endpointsJson(load, seq, host)).endpoints, format === 'wide'));
  return 0;
}

export async function associations(log: EventLog, options: PointOptions, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const seq = await resolvePoint(log, options.at);
  const value = await associationsJson(snapshotLoader(log, io), seq);
  io.out(format === 'json' ? json(value) : associationTable(value.associations));
  return 0;
}

export async function diff(log: EventLog, from: unknown, to: unknown, options: { o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const a = await resolvePoint(log, from ?? 0, 'FROM');
  const b = await resolvePoint(log, to, 'TO');
  const d = await diffJson(snapshotLoader(log, io), a, b);
  io.out(format === 'json' ? json(d) : diffTable(d));
  return 0;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function cluster(e: EndpointRecord): string {
  return clusterName(e.servicePort, e.host);
}

/**
 * The endpoints table of `istioctl proxy-config endpoint`: its columns, its order (address as a
 * string, then port, then cluster) and its spacing; `wide` adds LOCALITY, TLS and WORKLOAD.
 * Every endpoint is HEALTHY and OK, as Envoy reports an EDS host without health checking.
 */
function endpointTable(eps: readonly EndpointRecord[], wide: boolean): string {
  const sorted = [...eps].sort((a, b) => cmp(a.address, b.address) || a.port - b.port || cmp(cluster(a), cluster(b))
    || cmp(a.workload, b.workload));
  const headers = ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER', ...(wide ? ['LOCALITY', 'TLS', 'WORKLOAD'] : [])];
  return formatTable(headers, sorted.map((e) => [
    endpointAddress(e), 'HEALTHY', 'OK', cluster(e), ...(wide ? [e.locality, e.tlsMode, e.workload] : []),
  ]), 5);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function associationTable(as: readonly AssociationRecord[]): string {
  return formatTable(['SERVICEENTRY', 'WORKLOADENTRY'], as.map((a) => [a.serviceEntry, a.workloadEntry]));
}

function diffTable(d: StateDiff): string {
  const rows: string[][] = [
    ...d.associations.removed.map((a) => ['-', 'association', `${a.serviceEntry} -> ${a.workloadEntry}`]),
    ...d.associations.added.map((a) => ['+', 'association', `${a.serviceEntry} -> ${a.workloadEntry}`]),
    ...d.endpoints.removed.map((e) => ['-', 'endpoint', `${endpointAddress(e)} ${cluster(e)} ${e.workload}`]),
    ...d.endpoints.added.map((e) => ['+', 'endpoint', `${endpointAddress(e)} ${cluster(e)} ${e.workload}`]),
    ...d.endpoints.changed.map(({ before, after }) =>
      ['~', 'endpoint', `${cluster(after)} ${after.workload}: ${changes(before, after)}`]),
  ];
  const head = `diff seq ${d.from} -> seq ${d.to}: ${rows.length} change${rows.length === 1 ? '' : 's'}\n`;
  return rows.length === 0 ? head : head + formatTable(['', 'KIND', 'CHANGE'], rows);
}

function changes(a: EndpointRecord, b: EndpointRecord): string {
  return changedFields(a, b).map((c) => `${c.field} ${c.before} -> ${c.after}`).join(', ');
}
