import type { GoneHost } from './goneServiceEntries.js';
import {
  endpointsOf, isMeshfoldError, objectKey, objectsOf, Projector, workloadMetadata, type EndpointRecord, type LoggedEvent, type ProjectionState,
} from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { explainAt } from '../queries/explainAt.js';
import type { Reason } from '../queries/explainAssociation.js';
import { relistNote } from '../queries/relistNote.js';
import { safeIdentity } from '../queries/safeIdentity.js';
import type { DifferenceKind, RawDifference } from './compareDump.js';
import { truthLocality, truthTlsMode, truthWeight } from './compareDump.js';
import type { DumpEndpoint } from './readDump.js';

/** The event a difference goes back to. */
export interface Cause {
  readonly seq: number;
  readonly time: string;
  /** `TYPE Kind/ns/name`, with the relist it came from when a relist recorded it. */
  readonly event: string;
}

/** One difference, explained. The `-o json` shape is in docs/output.md. */
export interface Difference {
  readonly kind: DifferenceKind;
  readonly cluster: string;
  /** The endpoint's address and port: the proxy's, or for `missing` the truth's; absent for whole clusters. */
  readonly address?: string;
  readonly port?: number;
  readonly proxy?: DumpEndpoint;
  /** The truth's side: the endpoint record, as `endpoints -o json` prints it. */
  readonly truth?: EndpointRecord;
  /** The object the endpoint comes (or came) from, `Kind/ns/name`, when the log says. */
  readonly workload?: string;
  /** The last event that changed what the truth says here: the removal of a stale endpoint, the addition of a missing one. */
  readonly cause?: Cause;
  /** For an association that ended: `why` at the point, every rule that fails. */
  readonly reasons?: readonly Reason[];
  /** The known Istio bug whose signature this difference has. */
  readonly bug?: 'istio#25309' | 'istio#25678';
  /** The cause is within the settle window before the point: the push may still be on its way; not drift. */
  readonly inFlight?: boolean;
  readonly message: string;
}

export interface CheckPoint {
  readonly seq: number;
  /** RFC 3339; absent for seq 0 with no time given. */
  readonly time?: string;
}

/**
 * Explains raw differences with the log: for each, the events of the few objects it involves (the
 * ServiceEntries of its host and the workloads at its address, read through the log's per-object
 * index) are replayed in a projection of their own, which says when the endpoint was last added,
 * removed or changed — never the whole log per difference.
 */
export class DriftExplainer {
  readonly #log: EventLog;
  readonly #state: ProjectionState;
  readonly #point: CheckPoint;
  readonly #settleMs: number;
  #serviceEntriesByHost: Map<string, string[]> | undefined;
  #workloadsByAddress: Map<string, string[]> | undefined;
  readonly #traces = new Map<string, Promise<Step[]>>();

  readonly #gone: ReadonlyMap<string, GoneHost>;

  /** `gone`: hosts only ServiceEntries deleted by the point had, and those objects. */
  constructor(log: EventLog, state: ProjectionState, point: CheckPoint, settleMs: number, gone: ReadonlyMap<string, GoneHost> = new Map()) {
    this.#log = log;
    this.#state = state;
    this.#point = point;
    this.#settleMs = settleMs;
    this.#gone = gone;
  }

  async explainAll(raw: readonly RawDifference[]): Promise<Difference[]> {
    const out: Difference[] = [];
    const stale = raw.filter((d) => d.kind === 'stale');
    const unknown = stale.filter((d) => this.#candidateWorkloads(d).length === 0).map((d) => d.proxy!.address);
    if (unknown.length > 0) await this.#findDeletedWorkloads(new Set(unknown));
    for (const d of raw) out.push(this.#settled(await this.#explain(d)));
    return out;
  }

  async #explain(d: RawDifference): Promise<Difference> {
    switch (d.kind) {
      case 'missing-cluster': return this.#wholeCluster(d, `the proxy has no cluster ${d.cluster}, which a ServiceEntry serves at this point`);
      case 'extra-cluster': return this.#wholeCluster(d, this.#gone.has(d.host)
        ? `every ServiceEntry of ${d.host} was deleted by this point; the proxy still has the cluster`
        : `no STATIC ServiceEntry serves port ${d.servicePort} of ${d.host} at this point; the proxy still has the cluster`);
      case 'missing': return this.#missing(d);
      case 'stale': return this.#stale(d);
      default: return this.#wrong(d);
    }
  }

  async #wholeCluster(d: RawDifference, message: string): Promise<Difference> {
    const keys = this.#serviceEntryKeys(d.host);
    const last = Math.max(0, ...await Promise.all(keys.map(async (k) => (await this.#log.seqsOf(k, { to: this.#point.seq })).at(-1) ?? 0)));
    const cause = last > 0 ? describe((await this.#log.get(last))!) : undefined;
    return { kind: d.kind, cluster: d.cluster, ...(cause && { cause }), message: cause ? `${message} (last changed by ${cause.event} at seq ${cause.seq})` : message };
  }

  async #missing(d: RawDifference): Promise<Difference> {
    const e = d.truth!;
    const steps = await this.#trace(d, this.#keysFor(d.host, [e.workload]));
    const same = (x: EndpointRecord) => x.workload === e.workload && x.address === e.address && x.port === e.port;
    const added = lastChange(steps, same, 'added');
    const cause = added && describe(added);
    const message = `${endpointText(e.address, e.port)} of ${e.workload} is in the truth${cause ? ` since seq ${cause.seq} (${cause.event})` : ''}; the proxy does not have it`;
    return { kind: 'missing', cluster: d.cluster, address: e.address, port: e.port, truth: e, workload: e.workload, ...(cause && { cause }), message };
  }

  async #stale(d: RawDifference): Promise<Difference> {
    const p = d.proxy!;
    const steps = await this.#trace(d, this.#keysFor(d.host, this.#candidateWorkloads(d)));
    const here = (x: EndpointRecord) => x.address === p.address && x.port === p.port;
    const removed = lastChange(steps, here, 'removed');
    const base = { kind: 'stale' as const, cluster: d.cluster, address: p.address, port: p.port, proxy: p };
    if (!removed) {
      return { ...base, message: `the proxy has ${endpointText(p.address, p.port)}, which no event in the log ever put in this cluster` };
    }
    const cause = describe(removed.event);
    const workload = removed.before.find(here)!.workload;
    const object = safeIdentity(removed.event);
    let reasons: Reason[] | undefined;
    let verb = removed.event.type === 'DELETED' ? 'deleted' : removed.event.type === 'ADDED' ? 'added' : 'modified';
    if (workload.startsWith('WorkloadEntry/') && object === workload) {
      reasons = await this.#whyNot(workload, d.host);
      if (removed.event.type === 'MODIFIED' && reasons.some((r) => r.code === 'LABEL_DIFFERS' || r.code === 'LABEL_MISSING')) verb = 'relabelled';
    } else if (object.startsWith('ServiceEntry/') && removed.event.type === 'MODIFIED') {
      verb = `modified (it no longer gives ${endpointText(p.address, p.port)} to port ${d.servicePort})`;
    }
    const note = relistNote(removed.event);
    const [kind, ns, name] = object.split('/');
    const why = `${kind} ${ns}/${name} ${note ?? verb} at seq ${cause.seq}${reasons && reasons.length > 0 ? `: ${reasons.map((r) => r.message).join('; ')}` : ''}`;
    // istio#25678: a relabelled or deleted WorkloadEntry kept its endpoint.
    const bug = object === workload && (verb === 'relabelled' || removed.event.type === 'DELETED') ? { bug: 'istio#25678' as const } : {};
    return {
      ...base, workload, cause, ...(reasons && { reasons }), ...bug,
      message: `the proxy still has ${endpointText(p.address, p.port)} of ${workload}; ${why}`,
    };
  }

  async #wrong(d: RawDifference): Promise<Difference> {
    const e = d.truth!;
    const p = d.proxy!;
    const steps = await this.#trace(d, this.#keysFor(d.host, [e.workload]));
    const mine = (x: EndpointRecord) => x.workload === e.workload;
    const changed = lastChange(steps, mine, 'any');
    const cause = changed && describe(changed);
    const since = cause ? ` since seq ${cause.seq} (${cause.event})` : '';
    const base = { kind: d.kind, cluster: d.cluster, address: p.address, port: p.port, proxy: p, truth: e, workload: e.workload, ...(cause && { cause }) };
    switch (d.kind) {
      case 'wrong-port': {
        // istio#25309: after a sibling's removal the others were rebuilt with the service port.
        const signature = p.port === d.servicePort && e.port !== d.servicePort;
        const sibling = signature ? lastChange(steps, (x) => !mine(x), 'removed') : undefined;
        const after = sibling ? ` after the removal of ${sibling.before.filter((x) => !mine(x)).map((x) => endpointText(x.address, x.port)).join(', ')} at seq ${sibling.event.seq}` : '';
        return {
          ...base, ...(signature && { bug: 'istio#25309' as const }),
          message: `${e.workload} is at port ${e.port} in the truth${since}; the proxy has port ${p.port}`
            + (signature ? `, the service port instead of the target port${after} (the istio#25309 signature)` : ''),
        };
      }
      case 'wrong-weight': return { ...base, message: `weight ${p.weight} in the proxy, ${truthWeight(e)} in the truth${since}` };
      case 'wrong-locality': return { ...base, message: `locality ${JSON.stringify(p.locality)} in the proxy, ${JSON.stringify(truthLocality(e))} in the truth${since}` };
      case 'wrong-tls-mode': return { ...base, message: `tlsMode ${p.tlsMode} in the proxy, ${truthTlsMode(e)} in the truth${since}` };
      default: return { ...base, message: `istio.workload ${JSON.stringify(p.workload)} in the proxy, ${JSON.stringify(workloadMetadata(e))} in the truth (labels ${labelsText(e)})${since}` };
    }
  }

  #settled(d: Difference): Difference {
    if (!d.cause || this.#point.time === undefined) return d;
    const age = Date.parse(this.#point.time) - Date.parse(d.cause.time);
    return age >= 0 && age < this.#settleMs ? { ...d, inFlight: true } : d;
  }

  /** Why the ServiceEntries of `host` in the workload's namespace do not select it at the point. */
  async #whyNot(workload: string, host: string): Promise<Reason[]> {
    const [, ns, name] = workload.split('/');
    const ses = this.#serviceEntryKeys(host).filter((k) => k.split('/')[1] === ns);
    if (ses.length === 0) return [];
    const answer = await explainAt(this.#log, ses[0]!.slice('ServiceEntry/'.length), `${ns}/${name}`, this.#point.seq);
    return answer.reasons;
  }

  /** The cluster's endpoints after each event of `keys` that changed them, from the empty state. */
  #trace(d: RawDifference, keys: string[]): Promise<Step[]> {
    const id = `${d.cluster}\n${keys.join('\n')}`;
    let trace = this.#traces.get(id);
    if (!trace) this.#traces.set(id, trace = traceCluster(this.#log, keys, this.#point.seq, d.host, d.servicePort));
    return trace;
  }

  #keysFor(host: string, workloads: readonly string[]): string[] {
    const keys = new Set(this.#serviceEntryKeys(host));
    for (const w of workloads) if (w.startsWith('WorkloadEntry/')) keys.add(w);
    return [...keys].sort();
  }

  #serviceEntryKeys(host: string): string[] {
    if (!this.#serviceEntriesByHost) {
      this.#serviceEntriesByHost = new Map();
      for (const se of objectsOf(this.#state)) {
        if (se.kind === 'ServiceEntry') for (const h of se.hosts) push(this.#serviceEntriesByHost, h, objectKey('ServiceEntry', se.namespace, se.name));
      }
    }
    return this.#serviceEntriesByHost.get(host) ?? [...(this.#gone.get(host)?.serviceEntries ?? [])];
  }

  /** WorkloadEntries that may have put a stale endpoint there: named by its metadata, or at its address. */
  #candidateWorkloads(d: RawDifference): string[] {
    if (!this.#workloadsByAddress) {
      this.#workloadsByAddress = new Map();
      for (const we of objectsOf(this.#state)) {
        if (we.kind === 'WorkloadEntry') push(this.#workloadsByAddress, we.address, objectKey('WorkloadEntry', we.namespace, we.name));
      }
    }
    const out = new Set(this.#workloadsByAddress.get(d.proxy!.address) ?? []);
    const [name, ns] = d.proxy!.workload?.split(';') ?? [];
    if (name && ns) out.add(`WorkloadEntry/${ns}/${name}`);
    return [...out];
  }

  /**
   * WorkloadEntries gone by the point, at the addresses of stale endpoints nothing else explains
   * (a dump without metadata): the log read backwards from the point, once for all of them,
   * until each address is found.
   */
  async #findDeletedWorkloads(addresses: Set<string>): Promise<void> {
    const CHUNK = 1000;
    for (let to = this.#point.seq; to >= 1 && addresses.size > 0; to -= CHUNK) {
      const seqs = Array.from({ length: Math.min(CHUNK, to) }, (_, i) => to - i);
      for (const event of await this.#log.getMany(seqs)) {
        const o = event.object as { kind?: string; spec?: { address?: unknown } } | undefined;
        const address = o?.spec?.address;
        if (o?.kind !== 'WorkloadEntry' || typeof address !== 'string' || !addresses.has(address)) continue;
        push(this.#workloadsByAddress!, address, safeIdentity(event));
        addresses.delete(address);
      }
    }
  }
}

interface Step {
  readonly event: LoggedEvent;
  /** The cluster's endpoints before and after the event. */
  readonly before: readonly EndpointRecord[];
  readonly after: readonly EndpointRecord[];
}

async function traceCluster(log: EventLog, keys: readonly string[], to: number, host: string, servicePort: number): Promise<Step[]> {
  const seqs = [...new Set((await Promise.all(keys.map((k) => log.seqsOf(k, { to })))).flat())].sort((a, b) => a - b);
  const projector = new Projector();
  const steps: Step[] = [];
  let before: EndpointRecord[] = [];
  let text = '[]';
  for (const event of seqs.length > 0 ? await log.getMany(seqs) : []) {
    try {
      projector.replay(event, event.seq);
    } catch (err) {
      if (!isMeshfoldError(err)) throw err;
      projector.skip(event.seq); // rejected by the fold: changed nothing, as in the log's own replay
      continue;
    }
    const after = endpointsOf(projector.state, { host }).filter((e) => e.servicePort === servicePort);
    const next = JSON.stringify(after);
    if (next === text) continue;
    steps.push({ event, before, after });
    before = after;
    text = next;
  }
  return steps;
}

/** The last step at which the endpoints matching `match` were added, removed or changed in any way. */
function lastChange(steps: readonly Step[], match: (e: EndpointRecord) => boolean, how: 'added' | 'removed' | 'any'): Step | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    const had = s.before.filter(match);
    const has = s.after.filter(match);
    if (how === 'added' && had.length === 0 && has.length > 0) return s;
    if (how === 'removed' && has.length < had.length) return s;
    if (how === 'any' && JSON.stringify(had) !== JSON.stringify(has)) return s;
  }
  return undefined;
}

function describe(e: LoggedEvent | Step): Cause {
  const event = 'event' in e && 'before' in e ? e.event : e as LoggedEvent;
  const note = relistNote(event);
  return { seq: event.seq, time: event.time, event: `${event.type} ${safeIdentity(event)}${note ? `, ${note}` : ''}` };
}

function endpointText(address: string, port: number): string {
  return port === 0 ? `unix://${address}` : `${address}:${port}`;
}

function labelsText(e: EndpointRecord): string {
  const entries = Object.entries(e.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
