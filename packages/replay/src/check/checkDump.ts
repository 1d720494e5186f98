import { endpointsOf, parseRfc3339 } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { resolvePoint } from '../queries/resolvePoint.js';
import type { StateLoader } from '../queries/StateLoader.js';
import { compareDump, DIFFERENCE_KINDS, truthOf, type DifferenceKind, type IgnoredClusters } from './compareDump.js';
import { formatDuration } from './duration.js';
import { DriftExplainer, type CheckPoint, type Difference } from './explainDrift.js';
import { goneServiceEntryHosts } from './goneServiceEntries.js';
import type { DumpFormat, ProxyDump } from './readDump.js';

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
