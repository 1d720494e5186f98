import { createHash } from 'node:crypto';
import { buildState } from './internal/buildState.js';
import { BulkReplay } from './BulkReplay.js';
import { decodeDelta, decodeObjects, encodeObjects, objectsAsText } from './internal/snapshotObjects.js';
import { applyChange, type Change } from './internal/applyChange.js';
import { clusterUpdates, type Cluster } from './clusters.js';
import type { Delta } from './Delta.js';
import type { EndpointRecord } from './EndpointRecord.js';
import type { WatchEvent } from './objects.js';
import { pairEvent } from './internal/pairEvent.js';
import type { Notice } from './MeshfoldError.js';
import { Interner } from './internal/Interner.js';
import { createState, opaqueState, type MutableState, type ProjectionState } from './internal/MutableState.js';
import { sortedObjects, viewOf, type ProjectionView } from './ProjectionView.js';
import type { ObjectRecord } from './records.js';
import { parseObjectKey } from './keys.js';
import { stateHash } from './stateHash.js';

const NO_DELTAS: readonly Delta[] = Object.freeze([]);
const NO_CLUSTERS: readonly Cluster[] = Object.freeze([]);

/**
 * Bumped whenever the fold's semantics change, including which objects validation admits:
 * snapshots and checked ranges of another version are not trusted.
 */
export const PROJECTOR_VERSION = 'meshfold-projector/4';

/** What one event did. */
export interface ApplyResult {
  /** The seq the event took. */
  readonly seq: number;
  /** The (old, new) pair applied; absent when the event changed nothing (an unknown delete). */
  readonly change?: Change;
  readonly deltas: readonly Delta[];
  /**
   * The `outbound|port||host` clusters whose endpoints moved, each with its full new list (`[]`:
   * none left), across namespaces: what an EDS server pushes. Empty from `replay`.
   */
  readonly clusters: readonly Cluster[];
  /** Set when the event was accepted with a notice (a delete of an object the state does not hold). */
  readonly notice?: Notice;
}

/**
 * The live objects at `seq` — the state is a pure function of them — as one canonical, compact
 * msgpack value (see `snapshotObjects`), whose digest is one pass over its bytes. `toSnapshot`
 * and `toDelta` write bytes; a string is the JSON text of the same value, as meshfold wrote it
 * before, and is read the same way.
 */
export interface ProjectorSnapshot {
  readonly seq: number;
  readonly objects: Uint8Array | string;
  /**
   * Set on a delta (see {@link Projector.toDelta}): `objects` then holds only the objects that
   * changed after the snapshot at seq `base`, and the keys of those that went away.
   */
  readonly base?: number;
}

/**
 * Pairing and projection in one object, for replay and embedding. Pairing reads the state's own
 * object maps, so the last version of each object is kept once, not twice.
 */
export class Projector {
  #state: MutableState;
  readonly #intern = new Interner();
  #seq: number;

  /** An empty projector at seq 0; one at a later point comes from `fromSnapshot` or store's `loadState`. */
  constructor() {
    this.#state = createState();
    this.#seq = 0;
  }

  /** The live state, read-only: read it with the query functions, don't keep it across events. */
  get state(): ProjectionState {
    return opaqueState(this.#state);
  }

  /** The seq of the last event applied (0 = empty). */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Applies one event. `seq` defaults to the next one. An invalid event throws a coded error and
   * leaves the state and seq as they were (see {@link skip}).
   */
  apply(event: WatchEvent, seq = this.#seq + 1): ApplyResult {
    return this.#step(event, seq, true);
  }

  /**
   * Like {@link apply} but skips endpoint and service deltas (association deltas are free and
   * still returned): for replay, where the resulting state is what matters. `checked`: the event
   * already passed `checkEvent` (a writer checked it before appending), so its object is not
   * validated again; an event that would not pass must never be given as checked.
   */
  replay(event: WatchEvent, seq = this.#seq + 1, checked = false): ApplyResult {
    return this.#step(event, seq, false, checked);
  }

  #step(event: WatchEvent, seq: number, emit: boolean, checked = false): ApplyResult {
    const paired = pairEvent((key) => this.lookup(key), event, seq, this.#intern, checked);
    this.#seq = seq;
    if (!paired.change) return { seq, deltas: NO_DELTAS, clusters: NO_CLUSTERS, notice: paired.notice };
    const previous = emit ? new Map<string, EndpointRecord[]>() : undefined;
    const deltas = applyChange(this.#state, paired.change, emit, previous);
    const clusters = previous && deltas.some((d) => d.type === 'shard-replaced') ? clusterUpdates(this.#state, deltas, previous) : NO_CLUSTERS;
    return { seq, deltas, clusters, change: paired.change, notice: paired.notice };
  }

  /**
   * A replay of many events by their net effect (see {@link BulkReplay}): the same state as
   * {@link replay} event by event once committed, for a fraction of the index work.
   */
  bulkReplay(): BulkReplay {
    return new BulkReplay({
      state: this.#state,
      intern: this.#intern,
      lookup: (key) => this.lookup(key),
      advance: (seq) => { this.#seq = seq; },
    }, this.#seq);
  }

  /** Marks `seq` as consumed without applying it: replay of a log event the fold refused. */
  skip(seq: number): void {
    this.#seq = seq;
  }

  /** The record the state holds for a `Kind/namespace/name` key (the last version seen), if any. */
  lookup(key: string): ObjectRecord | undefined {
    const slash = key.indexOf('/');
    const kind = key.slice(0, slash);
    const rest = key.slice(slash + 1);
    return kind === 'ServiceEntry' ? this.#state.serviceEntries.get(rest) : this.#state.workloadEntries.get(rest);
  }

  /** The canonical view of the state (see `viewOf`). */
  view(): ProjectionView {
    return viewOf(this.state);
  }

  hash(): string {
    return stateHash(this.view());
  }

  toSnapshot(): ProjectorSnapshot {
    return { seq: this.#seq, objects: encodeObjects(sortedObjects(this.#state)) };
  }

  /**
   * A delta snapshot: the objects under `keys` (`Kind/namespace/name`) as the state holds them,
   * and those of them it does not hold as removed. Given every key changed after the snapshot at
   * seq `base`, that snapshot plus this one is the state now, at a cost that follows what changed
   * rather than the size of the mesh. The keys are taken in the order given (a writer and `verify`
   * both give them in the order the log's events first changed them), not sorted again.
   */
  toDelta(base: number, keys: Iterable<string>): ProjectorSnapshot {
    const present: ObjectRecord[] = [];
    const removed: string[] = [];
    for (const key of keys) {
      const rec = this.lookup(key);
      if (rec) present.push(rec);
      else removed.push(key);
    }
    return { seq: this.#seq, base, objects: encodeObjects(present, removed) };
  }

  /**
   * Rebuilds the state from a snapshot's objects, then the deltas after it in order (each one's
   * `base` the seq of the one before); the result does not depend on the order of the objects.
   * Throws a SyntaxError when the objects are not a snapshot's (check {@link Projector.digest} first),
   * and an Error when the deltas do not follow on from each other.
   */
  static fromSnapshot(snapshot: ProjectorSnapshot, deltas: readonly ProjectorSnapshot[] = []): Projector {
    if (snapshot.base !== undefined) throw new Error(`the snapshot at seq ${snapshot.seq} is a delta: it needs the one at seq ${snapshot.base}`);
    if (deltas.length === 0) return Projector.#of(buildState(decodeObjects(snapshot.objects)), snapshot.seq);
    deltas.forEach((delta, i) => {
      const before = i === 0 ? snapshot.seq : deltas[i - 1]!.seq;
      if (delta.base !== before) throw new Error(`the snapshot at seq ${delta.seq} does not follow on from the one at seq ${before}`);
    });
    // Newest first: the first delta that names an object holds its last version, or its removal;
    // the full snapshot's objects that no delta names are as they were. Names are kept per
    // `Kind/namespace`, so the full snapshot's objects need no key each.
    const settled = new Map<string, Set<string>>();
    const settle = (group: string, name: string): boolean => {
      let names = settled.get(group);
      if (!names) settled.set(group, (names = new Set()));
      return names.size !== names.add(name).size;
    };
    const records: ObjectRecord[] = [];
    for (let i = deltas.length - 1; i >= 0; i--) {
      const { records: changed, removed } = decodeDelta(deltas[i]!.objects);
      for (const rec of changed) if (settle(`${rec.kind}/${rec.namespace}`, rec.name)) records.push(rec);
      for (const key of removed) {
        const parsed = parseObjectKey(key);
        if (parsed) settle(`${parsed.kind}/${parsed.namespace}`, parsed.name);
      }
    }
    let kind = '';
    let namespace = '';
    let names: Set<string> | undefined;
    for (const rec of decodeObjects(snapshot.objects)) {
      // Its records come sorted by kind and namespace: one group lookup per run of them.
      if (rec.namespace !== namespace || rec.kind !== kind) {
        ({ kind, namespace } = rec);
        names = settled.get(`${kind}/${namespace}`);
      }
      if (!names?.has(rec.name)) records.push(rec);
    }
    return Projector.#of(buildState(records), deltas.at(-1)!.seq);
  }

  /** A projector holding a state already built. */
  static #of(state: MutableState, seq: number): Projector {
    const projector = new Projector();
    projector.#state = state;
    projector.#seq = seq;
    return projector;
  }

  /**
   * The same snapshot with its objects as the JSON text meshfold wrote before it wrote msgpack:
   * what the digest of a snapshot written then is to be checked against.
   */
  static asText(snapshot: ProjectorSnapshot): ProjectorSnapshot {
    return { ...snapshot, objects: objectsAsText(snapshot.objects) };
  }

  /**
   * sha256 of a snapshot's seq and objects: what a snapshot is tagged with, so that a reader can
   * check what it loaded without rebuilding and rehashing the whole state.
   */
  static digest(snapshot: ProjectorSnapshot): string {
    // A delta's base is part of what it says: the same objects after another base are another state.
    const delta = snapshot.base === undefined ? '' : `delta of ${snapshot.base}\n`;
    return createHash('sha256').update(`${snapshot.seq}\n${delta}`).update(snapshot.objects).digest('hex');
  }
}
