import { changedFields, clusterName, endpointAddress, type EndpointRecord } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { diffJson } from '../../queries/diffJson.js';
import type { StateDiff } from '../../queries/diffStates.js';
import { resolvePoint } from '../../queries/resolvePoint.js';
import { formatJson } from '../formatJson.js';
import { formatTable } from '../formatTable.js';
import { outputFormat } from '../outputFormat.js';
import { stateLoader } from '../stateLoader.js';

/** `meshfold diff FROM TO`: endpoints and associations added, removed or changed between two points. */
export async function diff(log: EventLog, from: unknown, to: unknown, options: { o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const a = await resolvePoint(log, from ?? 0, 'FROM');
  const b = await resolvePoint(log, to, 'TO');
  const d = await diffJson(stateLoader(log, io), a, b);
  io.out(format === 'json' ? formatJson(d) : diffTable(d));
  return 0;
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

function cluster(e: EndpointRecord): string {
  return clusterName(e.servicePort, e.host);
}

function changes(a: EndpointRecord, b: EndpointRecord): string {
  return changedFields(a, b).map((c) => `${c.field} ${c.before} -> ${c.after}`).join(', ');
}
