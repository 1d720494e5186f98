import type { AssociationRecord } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { associationsJson } from '../../queries/associationsJson.js';
import { resolvePoint } from '../../queries/resolvePoint.js';
import { formatJson } from '../formatJson.js';
import { formatTable } from '../formatTable.js';
import { outputFormat } from '../outputFormat.js';
import { stateLoader } from '../stateLoader.js';

/** `meshfold associations`: which WorkloadEntries each ServiceEntry selects at a point. */
export async function associations(log: EventLog, options: { at?: unknown; o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const seq = await resolvePoint(log, options.at);
  const value = await associationsJson(stateLoader(log, io), seq);
  io.out(format === 'json' ? formatJson(value) : associationTable(value.associations));
  return 0;
}

function associationTable(as: readonly AssociationRecord[]): string {
  return formatTable(['SERVICEENTRY', 'WORKLOADENTRY'], as.map((a) => [a.serviceEntry, a.workloadEntry]));
}
