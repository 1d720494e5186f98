import { createHash } from 'node:crypto';
import { buildState } from './internal/buildState.js';
import { BulkReplay } from './BulkReplay.js';
import { decodeObjects, encodeObjects } from './internal/snapshotObjects.js';
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
 * The live objects at `seq` — the state is a pure function of them — as canonical, compact JSON
 * (see `snapshotObjects`). A string, because `JSON.parse` restores it faster than any structured
 * decoder and its digest is one pass over it.
 */
export interface ProjectorSnapshot {
  readonly seq: number;
  readonly objects: string;
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
   * Rebuilds the state from a snapshot's objects; the result does not depend on their order.
   * Throws a SyntaxError when the objects are not JSON: check {@link Projector.digest} first.
   */
  static fromSnapshot(snapshot: ProjectorSnapshot): Projector {
    return Projector.#of(buildState(decodeObjects(snapshot.objects)), snapshot.seq);
  }

  /** A projector holding a state already built. */
  static #of(state: MutableState, seq: number): Projector {
    const projector = new Projector();
    projector.#state = state;
    projector.#seq = seq;
    return projector;
  }

  /**
   * sha256 of a snapshot's seq and objects: what a snapshot is tagged with, so that a reader can
   * check what it loaded without rebuilding and rehashing the whole state.
   */
  static digest(snapshot: ProjectorSnapshot): string {
    return createHash('sha256').update(`${snapshot.seq}\n`).update(snapshot.objects).digest('hex');
  }
}
