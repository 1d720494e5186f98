import { Projector, type Delta, type LoggedEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { SERVICE_ENTRY } from '../linkIndex/LinkBlock.js';
import { linkTimeline, type LinkTimeline } from '../linkIndex/linkTimeline.js';
import { applyOwn } from './applyOwn.js';
import { historyEntry, type HistoryEntry } from './historyEntry.js';
import { readInBatches } from './readInBatches.js';
import { tryReplay } from './tryReplay.js';

/**
 * `historyJson` from the link index (when it covers `to`): the same entries, reading only the
 * events they are made of.
 *
 * The association changes other objects caused are in the index, one per entry, so only those
 * events are read, for their time and type. Each of the object's own events is applied with
 * `Projector.apply` to a state holding just what its deltas can depend on, as it was before the
 * event: the shards of the ServiceEntries the object belongs to before or after it (for a
 * ServiceEntry, of its hosts), every ServiceEntry with one of those hosts, and every
 * WorkloadEntry those select, each at the last version the fold accepted. The index gives those
 * sets and versions at any seq, and the deltas of an event never reach past them, so they are
 * the deltas a replay of the whole log gives. The events read are bounded by the object's own
 * events times the objects of the shards it was in, plus the association changes it was part of;
 * the index read is the namespace's.
 */
export async function historyFromLinks(
  log: EventLog, key: string, kind: string, namespace: string, name: string, to: number, own: LoggedEvent[],
): Promise<HistoryEntry[]> {
  const isService = kind === 'ServiceEntry';
  const timeline = await linkTimeline(log, namespace, to);
  const walk = new NamespaceWalk(timeline, isService, name);

  // Before each own event: the object's last accepted version, if it existed, and the versions of every other object needed.
  const alone = new Projector();
  let stored: LoggedEvent | undefined;
  const plans = own.map((event) => {
    const before = stored;
    if (tryReplay(alone, event) !== undefined) stored = alone.lookup(key) ? event : undefined;
    return { event, stored: before, versions: walk.versionsBefore(event.seq) };
  });
  const ownSeqs = new Set(own.map((event) => event.seq));
  const watched = watchedChanges(timeline, isService, name, ownSeqs);
  const events = await readEvents(log, [...plans.flatMap((plan) => plan.versions), ...watched.map((change) => change.seq)]);

  const entries: HistoryEntry[] = [];
  let next = 0;
  const watchedBefore = (seq: number) => {
    for (; next < watched.length && watched[next]!.seq < seq; next++) entries.push(watchEntry(events.get(watched[next]!.seq)!, watched[next]!, namespace));
  };
  for (const { event, stored: version, versions } of plans) {
    watchedBefore(event.seq);
    const projector = new Projector();
    // In seq order, the object's own version among them, as a replay would have met them.
    const state = [...versions.map((seq) => events.get(seq)!), ...(version ? [version] : [])].sort((a, b) => a.seq - b.seq);
    for (const v of state) projector.replay(v, v.seq, true); // the index holds only versions the fold accepted
    entries.push(applyOwn(projector, event));
  }
  watchedBefore(Infinity);
  return entries;
}

/** A change of one association the object is in, made by another object's event. */
interface LinkChange { seq: number; serviceEntry: string; workloadEntry: string; added: boolean }

/** The association changes involving the object that other objects' events made, in seq order. */
function watchedChanges({ links, names, id }: LinkTimeline, isService: boolean, name: string, ownSeqs: Set<number>): LinkChange[] {
  const self = id(name);
  if (self === undefined) return [];
  const out: LinkChange[] = [];
  for (let i = 0; i < links.length; i += 4) {
    if (links[i + (isService ? 1 : 2)] !== self || ownSeqs.has(links[i]!)) continue;
    out.push({ seq: links[i]!, serviceEntry: names[links[i + 1]!]!, workloadEntry: names[links[i + 2]!]!, added: links[i + 3] === 1 });
  }
  return out;
}

/** The entry of another object's event that added or removed one association with the object. */
function watchEntry(event: LoggedEvent, change: LinkChange, namespace: string): HistoryEntry {
  const delta: Delta = {
    type: change.added ? 'association-added' : 'association-removed',
    serviceEntry: `${namespace}/${change.serviceEntry}`, workloadEntry: `${namespace}/${change.workloadEntry}`,
  };
  return historyEntry(event, [delta]);
}

/** The events at `seqs`, each read once, in batches, by seq. */
async function readEvents(log: EventLog, seqs: number[]): Promise<Map<number, LoggedEvent>> {
  const out = new Map<number, LoggedEvent>();
  for await (const batch of readInBatches(log, [...new Set(seqs)].sort((a, b) => a - b))) for (const event of batch) out.set(event.seq, event);
  return out;
}

/**
 * A namespace's associations, ServiceEntry hosts and object versions, walked forward through the
 * link index to each of the object's own events in turn.
 */
class NamespaceWalk {
  readonly #timeline: LinkTimeline;
  readonly #isService: boolean;
  readonly #self: number | undefined;
  #event = 0;
  #link = 0;
  #host = 0;
  // By id: the last accepted event of each ServiceEntry and WorkloadEntry, the WorkloadEntries a
  // ServiceEntry selects, a ServiceEntry's hosts, the ServiceEntries with a host.
  readonly #lastService: number[] = [];
  readonly #lastWorkload: number[] = [];
  readonly #members: (Set<number> | undefined)[] = [];
  /** The ServiceEntries selecting the object, when it is a WorkloadEntry. */
  readonly #selectingSelf = new Set<number>();
  readonly #hostsOf: (Set<number> | undefined)[] = [];
  readonly #servicesOf: (Set<number> | undefined)[] = [];
  /** By id: the ServiceEntries whose members the walk keeps, as only they can be asked for. */
  readonly #kept: Uint8Array;

  constructor(timeline: LinkTimeline, isService: boolean, name: string) {
    this.#timeline = timeline;
    this.#isService = isService;
    this.#self = timeline.id(name);
    this.#kept = keptServices(timeline, isService, this.#self);
  }

  /**
   * The seqs of the versions of the other objects that the state before the object's event at
   * `seq` needs (see historyFromLinks), then steps past `seq`. Calls come in ascending seq order.
   */
  versionsBefore(seq: number): number[] {
    const { links, hosts } = this.#timeline;
    const self = this.#self;
    this.#advance(seq - 1);
    const shardHosts = new Set<number>();
    const services = new Set<number>();
    const workloads = new Set<number>();
    if (self !== undefined && this.#isService) {
      for (const host of this.#hostsOf[self] ?? []) shardHosts.add(host);
      for (let i = this.#host; i < hosts.length && hosts[i]! <= seq; i += 4) if (hosts[i + 3] === 1) shardHosts.add(hosts[i + 2]!);
      for (const we of this.#members[self] ?? []) workloads.add(we);
      for (let i = this.#link; i < links.length && links[i]! <= seq; i += 4) if (links[i + 3] === 1) workloads.add(links[i + 2]!);
    } else if (self !== undefined) {
      const memberOf = new Set(this.#selectingSelf);
      for (let i = this.#link; i < links.length && links[i]! <= seq; i += 4) memberOf.add(links[i + 1]!);
      for (const se of memberOf) for (const host of this.#hostsOf[se] ?? []) shardHosts.add(host);
    }
    for (const host of shardHosts) for (const se of this.#servicesOf[host] ?? []) services.add(se);
    for (const se of services) for (const we of this.#members[se] ?? []) workloads.add(we);
    if (self !== undefined) (this.#isService ? services : workloads).delete(self);
    this.#advance(seq);
    // Every one of them exists before `seq`, so each has a version.
    return [...[...services].map((se) => this.#lastService[se]!), ...[...workloads].map((we) => this.#lastWorkload[we]!)];
  }

  #advance(through: number): void {
    const { events, links, hosts } = this.#timeline;
    for (; this.#event < events.length && events[this.#event]! <= through; this.#event += 3) {
      (events[this.#event + 1] === SERVICE_ENTRY ? this.#lastService : this.#lastWorkload)[events[this.#event + 2]!] = events[this.#event]!;
    }
    for (; this.#link < links.length && links[this.#link]! <= through; this.#link += 4) {
      const [se, we, added] = [links[this.#link + 1]!, links[this.#link + 2]!, links[this.#link + 3] === 1];
      if (this.#kept[se]) toggle(this.#members, se, we, added);
      if (we === this.#self && !this.#isService) {
        if (added) this.#selectingSelf.add(se);
        else this.#selectingSelf.delete(se);
      }
    }
    for (; this.#host < hosts.length && hosts[this.#host]! <= through; this.#host += 4) {
      const [se, host, added] = [hosts[this.#host + 1]!, hosts[this.#host + 2]!, hosts[this.#host + 3] === 1];
      toggle(this.#hostsOf, se, host, added);
      toggle(this.#servicesOf, host, se, added);
    }
  }
}

/**
 * The ServiceEntries whose members an own event can ask for: those that ever share a host with
 * the object's (a ServiceEntry's) hosts, or with a ServiceEntry that ever selects the object (a
 * WorkloadEntry). A superset is as right; keeping only these spares the walk the rest of the namespace.
 */
function keptServices({ names, links, hosts }: LinkTimeline, isService: boolean, self: number | undefined): Uint8Array {
  const kept = new Uint8Array(names.length);
  if (self === undefined) return kept;
  const near = new Uint8Array(names.length);
  if (isService) near[self] = 1;
  else for (let i = 0; i < links.length; i += 4) if (links[i + 2] === self) near[links[i + 1]!] = 1;
  const sharedHosts = new Uint8Array(names.length);
  for (let i = 0; i < hosts.length; i += 4) if (near[hosts[i + 1]!]) sharedHosts[hosts[i + 2]!] = 1;
  for (let i = 0; i < hosts.length; i += 4) if (sharedHosts[hosts[i + 2]!]) kept[hosts[i + 1]!] = 1;
  return kept;
}

function toggle(sets: (Set<number> | undefined)[], key: number, member: number, added: boolean): void {
  if (added) (sets[key] ??= new Set()).add(member);
  else sets[key]?.delete(member);
}
