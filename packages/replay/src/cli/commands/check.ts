import { readFile, stat } from 'node:fs/promises';
import { endpointsOf, MeshfoldError, parseRfc3339 } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { goneServiceEntryHosts } from '../../check/goneServiceEntries.js';
import { compareDump, DIFFERENCE_KINDS, truthOf, type DifferenceKind, type IgnoredClusters } from '../../check/compareDump.js';
import { formatDuration, parseDuration } from '../../check/duration.js';
import { DriftExplainer, type CheckPoint, type Difference } from '../../check/explainDrift.js';
import { parseDump, type DumpFormat, type ProxyDump } from '../../check/readDump.js';
import { formatTable } from '../formatTable.js';
import type { Io } from '../../io/Io.js';
import { outputFormat, resolvePoint } from '../../queries/resolvePoint.js';
import { snapshotLoader, type StateLoader } from './queries.js';

/** Exit status of a check that found drift: not an error (those are 1 and 2), so a cron job can tell them apart. */
export const DRIFT_EXIT = 3;

/** The settle window when none is given: long enough for istiod's debounce (100 ms) and a push to reach a proxy under load. */
export const DEFAULT_SETTLE = '5s';

/** Where the point of a check came from. */
export type PointSource = '--at' | 'last_updated' | 'file-time' | 'log-end';

/** One dump checked against the truth at its point: what `check -o json` prints per dump (docs/output.md). */
export interface CheckReport {
  readonly dump: string;
  readonly format: DumpFormat;
  readonly point: CheckPoint & { readonly from: PointSource };
  readonly settle: string;
  /** Whether any difference is not in flight. */
  readonly drift: boolean;
  readonly summary: {
    readonly clusters: number;
    readonly endpoints: number;
    /** Drift by kind (in-flight differences are counted apart). */
    readonly differences: Partial<Record<DifferenceKind, number>>;
    readonly inFlight: number;
    readonly ignored: IgnoredClusters;
  };
  readonly clusters: readonly { readonly cluster: string; readonly differences: readonly Difference[] }[];
}

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
  const load = snapshotLoader(log, io);
  const checks: CheckReport[] = [];
  for (const d of dumps) checks.push(await checkDump(log, load, d.dump, d.file, { at: options.at, settleMs, fileTime: d.time }));
  const drift = checks.some((c) => c.drift);
  io.out(format === 'json' ? `${JSON.stringify({ drift, checks }, null, 2)}\n` : checks.map(table).join('\n'));
  return drift ? DRIFT_EXIT : 0;
}

/** A dump file, parsed, with its modification time (the capture time when nothing in it says otherwise). */
export async function readDumpFile(file: string): Promise<{ file: string; dump: ProxyDump; time: string }> {
  let text: string;
  let time: string;
  try {
    time = (await stat(file)).mtime.toISOString();
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MeshfoldError('CLI_NOT_FOUND', `dump file ${file} does not exist`);
    throw new MeshfoldError('CHECK_UNKNOWN_DUMP', `dump file ${file} cannot be read: ${(err as Error).message}`);
  }
  return { file, dump: parseDump(text, file), time };
}

/** One dump against the truth at its point: the report `-o json` prints and `/api/check` answers. */
export async function checkDump(
  log: EventLog, load: StateLoader, dump: ProxyDump, source: string,
  options: { at?: unknown; settleMs: number; fileTime?: string },
): Promise<CheckReport> {
  const point = await checkPoint(log, options.at, dump, options.fileTime);
  const { state } = await load(point.seq);
  const truth = truthOf(state, endpointsOf(state));
  // A cluster of a host only deleted ServiceEntries had is one the proxy should have dropped.
  const gone = await goneServiceEntryHosts(log, state, point.seq);
  for (const [host, { eds }] of gone) truth.hosts.set(host, eds);
  const comparison = compareDump(truth, dump);
  const explained = await new DriftExplainer(log, state, point, options.settleMs, gone).explainAll(comparison.differences);
  const byCluster = new Map<string, Difference[]>();
  const counts: Partial<Record<DifferenceKind, number>> = {};
  let inFlight = 0;
  for (const d of explained.sort(compareDifferences)) {
    (byCluster.get(d.cluster) ?? byCluster.set(d.cluster, []).get(d.cluster)!).push(d);
    if (d.inFlight) inFlight++;
    else counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  }
  const differences = Object.fromEntries(DIFFERENCE_KINDS.filter((k) => counts[k]).map((k) => [k, counts[k]]));
  return {
    dump: source, format: dump.format, point, settle: formatDuration(options.settleMs),
    drift: Object.keys(differences).length > 0,
    summary: { clusters: comparison.clusters, endpoints: comparison.endpoints, differences, inFlight, ignored: comparison.ignored },
    clusters: [...byCluster].map(([cluster, list]) => ({ cluster, differences: list })),
  };
}

/**
 * The point a dump is held against: `--at`, else the dump's own time (its latest `last_updated`),
 * else the file's modification time, else the end of the log. A time is the state after the last
 * event recorded at or before it.
 */
async function checkPoint(log: EventLog, at: unknown, dump: ProxyDump, fileTime: string | undefined): Promise<CheckPoint & { from: PointSource }> {
  if (at !== undefined && at !== true) {
    const seq = await resolvePoint(log, at);
    const time = /^\d+$/.test(String(at)) ? await timeOf(log, seq) : String(at);
    return { seq, ...(time !== undefined && { time }), from: '--at' };
  }
  const own = dump.lastUpdated !== undefined && parseRfc3339(dump.lastUpdated) !== undefined ? dump.lastUpdated : undefined;
  const time = own ?? fileTime;
  if (time !== undefined) return { seq: await log.seqAt(time), time, from: own ? 'last_updated' : 'file-time' };
  const seq = log.lastSeq;
  const end = await timeOf(log, seq);
  return { seq, ...(end !== undefined && { time: end }), from: 'log-end' };
}

async function timeOf(log: EventLog, seq: number): Promise<string | undefined> {
  return seq === 0 ? undefined : (await log.get(seq))?.time;
}

/** Clusters by name; in a cluster, whole-cluster differences first, then by address, port and kind. */
function compareDifferences(a: Difference, b: Difference): number {
  return cmp(a.cluster, b.cluster) || cmp(a.address ?? '', b.address ?? '') || (a.port ?? 0) - (b.port ?? 0)
    || DIFFERENCE_KINDS.indexOf(a.kind) - DIFFERENCE_KINDS.indexOf(b.kind);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
