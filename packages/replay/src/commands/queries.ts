import { associationsOf, endpointsOf, type AssociationRecord, type EndpointRecord } from '@meshfold/core';
import { loadState, type EventLog } from '@meshfold/store';
import { diffStates, type StateDiff, type StatePoint } from '../diffStates.js';
import { formatTable } from '../formatTable.js';
import type { Io } from '../Io.js';
import { outputFormat, resolvePoint } from '../resolvePoint.js';
import { toClusterLoadAssignments } from '../toClusterLoadAssignments.js';

export interface PointOptions { at?: string | number; host?: string; o?: string }

/** The state at a point, from the nearest snapshot plus its tail. */
export async function statePoint(log: EventLog, seq: number, io: Io, host?: string): Promise<StatePoint> {
  const projector = await loadState(log, seq, { onReport: (r) => io.err(`warning: ${r.code}: ${r.message}\n`) });
  return {
    seq,
    endpoints: endpointsOf(projector.state, host === undefined ? {} : { host }),
    associations: associationsOf(projector.state),
  };
}

export async function endpoints(log: EventLog, options: PointOptions, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json', 'eds'] as const);
  const seq = await resolvePoint(log, options.at);
  const point = await statePoint(log, seq, io, options.host === undefined ? undefined : String(options.host));
  if (format === 'json') io.out(json({ seq, endpoints: point.endpoints }));
  else if (format === 'eds') io.out(json(toClusterLoadAssignments(point.endpoints)));
  else io.out(endpointTable(point.endpoints));
  return 0;
}

export async function associations(log: EventLog, options: PointOptions, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const seq = await resolvePoint(log, options.at);
  const point = await statePoint(log, seq, io);
  if (format === 'json') io.out(json({ seq, associations: point.associations }));
  else io.out(associationTable(point.associations));
  return 0;
}

export async function diff(log: EventLog, from: unknown, to: unknown, options: { o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const a = await statePoint(log, await resolvePoint(log, from ?? 0, 'FROM'), io);
  const b = await statePoint(log, await resolvePoint(log, to, 'TO'), io);
  const d = diffStates(a, b);
  io.out(format === 'json' ? json(d) : diffTable(d));
  return 0;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function cluster(e: EndpointRecord): string {
  return `outbound|${e.servicePort}||${e.host}`;
}

export function endpointAddress(e: EndpointRecord): string {
  return e.port === 0 ? `unix://${e.address}` : `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}

function endpointTable(eps: readonly EndpointRecord[]): string {
  return formatTable(
    ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER', 'TLS', 'WORKLOAD'],
    eps.map((e) => [endpointAddress(e), 'HEALTHY', 'OK', cluster(e), e.tlsMode, e.workload]),
  );
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
      ['~', 'endpoint', `${cluster(after)} ${after.workload}: ${changedFields(before, after)}`]),
  ];
  const head = `diff seq ${d.from} -> seq ${d.to}: ${rows.length} change${rows.length === 1 ? '' : 's'}\n`;
  return rows.length === 0 ? head : head + formatTable(['', 'KIND', 'CHANGE'], rows);
}

function changedFields(a: EndpointRecord, b: EndpointRecord): string {
  const keys = Object.keys(a) as (keyof EndpointRecord)[];
  return keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`)
    .join(', ');
}
