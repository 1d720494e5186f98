import { MeshfoldError } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { checkDump, DEFAULT_SETTLE, type CheckReport } from '../../check/checkDump.js';
import { parseDuration } from '../../check/duration.js';
import { readDumpFile } from '../../check/readDumpFile.js';
import type { Io } from '../../io/Io.js';
import { formatJson } from '../formatJson.js';
import { formatTable } from '../formatTable.js';
import { outputFormat } from '../outputFormat.js';
import { stateLoader } from '../stateLoader.js';

/** Exit status of a check that found drift: not an error (those are 1 and 2), so a cron job can tell them apart. */
export const DRIFT_EXIT = 3;

export interface CheckOptions {
  at?: unknown;
  settle?: unknown;
  o?: string;
}

/** `meshfold check`: each dump against the truth at its point; exit 3 when any has drift. */
export async function check(log: EventLog, files: readonly string[], options: CheckOptions, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['table', 'json'] as const);
  const settleMs = parseDuration(options.settle === undefined ? DEFAULT_SETTLE : String(options.settle));
  if (files.length === 0) throw new MeshfoldError('CLI_USAGE', 'check takes at least one DUMP file');
  const dumps = await Promise.all(files.map(readDumpFile)); // every file is read before any is compared
  const load = stateLoader(log, io);
  const checks: CheckReport[] = [];
  for (const d of dumps) checks.push(await checkDump(log, load, d.dump, d.file, { at: options.at, settleMs, fileTime: d.time }));
  const drift = checks.some((c) => c.drift);
  io.out(format === 'json' ? formatJson({ drift, checks }) : checks.map(table).join('\n'));
  return drift ? DRIFT_EXIT : 0;
}

/** The table: one group of rows per cluster, then the summary line. */
function table(r: CheckReport): string {
  const head = `check ${r.dump} (${r.format}) at seq ${r.point.seq}${r.point.time ? ` (${r.point.time})` : ''}, from ${r.point.from}; settle ${r.settle}\n`;
  const rows: string[][] = [];
  for (const { cluster, differences } of r.clusters) {
    differences.forEach((d, i) => rows.push([
      i === 0 ? cluster : '',
      d.inFlight ? `${d.kind} (in flight)` : d.kind,
      d.address === undefined ? '-' : d.port === 0 ? `unix://${d.address}` : `${d.address}:${d.port}`,
      d.cause ? `seq ${d.cause.seq}` : '-',
      `${d.message}${d.bug ? ` [${d.bug}]` : ''}`,
    ]));
  }
  const body = rows.length === 0 ? '' : formatTable(['CLUSTER', 'KIND', 'ENDPOINT', 'CAUSE', 'EXPLANATION'], rows);
  return head + body + summaryLine(r);
}

function summaryLine(r: CheckReport): string {
  const s = r.summary;
  const kinds = Object.entries(s.differences).map(([k, n]) => `${k} ${n}`);
  const total = Object.values(s.differences).reduce((a, n) => a + (n ?? 0), 0);
  const ignored = s.ignored.other + s.ignored.subset + s.ignored.notEds;
  return `${s.clusters} cluster${s.clusters === 1 ? '' : 's'}, ${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'} compared; `
    + `${total === 0 ? 'no drift' : `${total} difference${total === 1 ? '' : 's'} (${kinds.join(', ')})`}`
    + `${s.inFlight > 0 ? `; ${s.inFlight} in flight` : ''}`
    + `; ${ignored} cluster${ignored === 1 ? '' : 's'} ignored (other ${s.ignored.other}, subset ${s.ignored.subset}, not EDS ${s.ignored.notEds})\n`;
}
