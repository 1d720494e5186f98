import { applyChange, type Change } from './applyChange.js';
import type { Interner } from './Interner.js';
import type { KubeObject, WatchEvent } from './objects.js';
import { assertUpsert, identityOf, unknownDelete, type PairResult } from './pairEvent.js';
import type { ProjectionState } from './ProjectionState.js';
import type { ObjectRecord } from './records.js';
import { assertValidObject, toRecord } from './toRecord.js';

/** Pending objects after which the net changes are applied, so memory stays bounded on logs of many distinct objects. */
const MAX_PENDING = 65_536;

/** What a BulkReplay needs of its projector. */
export interface BulkReplayTarget {
  readonly state: ProjectionState;
  readonly intern: Interner;
  lookup(key: string): ObjectRecord | undefined;
  /** Called on commit with the seq of the last event taken. */
  advance(seq: number): void;
}

/**
 * Replays a run of log events by their net effect. The state is a pure function of the live
 * objects, so only the last version of each object matters: `add` checks each event exactly as
 * `Projector.replay` would (same errors, same notices, in the same order) but only remembers the
 * object, and `commit` applies one change per object that changed. A million-event log over a
 * few thousand objects then costs a million checks and a few thousand index updates, instead of
 * a million index updates. Nothing reaches the state before `commit`.
 * The added events' objects are kept until then and must not be mutated.
 */
export class BulkReplay {
  readonly #target: BulkReplayTarget;
  /** `Kind/ns/name` → the object's last version (or what restores it), null when its last event deleted it. */
  readonly #pending = new Map<string, unknown>();
  readonly #restore: ((kept: unknown) => KubeObject) | undefined;
  #seq: number;

  /**
   * `restore`: when given, each `add` passes what to keep instead of the object (e.g. the bytes
   * it was stored as, which cost the garbage collector far less to hold than a decoded tree),
   * and commit restores the object from it.
   */
  constructor(target: BulkReplayTarget, seq: number, restore?: (kept: unknown) => KubeObject) {
    this.#target = target;
    this.#seq = seq;
    this.#restore = restore;
  }

  /** The seq of the last event taken (applied on commit). */
  get seq(): number {
    return this.#seq;
  }

  /**
   * Takes one event. Throws the coded error `Projector.replay` would for an invalid event, and
   * then takes nothing: call {@link skip} to consume its seq, as replay of a log does.
   * `checked`: this projector version validated the object before (when it was logged), so
   * only the last version of each object is validated again, at commit.
   */
  add(event: WatchEvent, seq = this.#seq + 1, checked = false, kept: unknown = event.object): PairResult['notice'] {
    const key = identityOf(event.object, seq);
    if (event.type === 'DELETED') {
      if (!this.#holds(key)) {
        this.#seq = seq;
        return unknownDelete(key);
      }
      this.#pending.set(key, null);
    } else {
      assertUpsert(event, key, seq);
      if (!checked) assertValidObject(event.object);
      this.#pending.set(key, kept);
    }
    this.#seq = seq;
    if (this.#pending.size >= MAX_PENDING) this.commit();
    return undefined;
  }

  skip(seq: number): void {
    this.#seq = seq;
  }

  /**
   * Applies the net change of every object taken since the last commit. Every record is made
   * first, so an object that fails validation here (one taken as `checked` that was not) throws
   * before anything is applied.
   */
  commit(): void {
    const { state, intern } = this.#target;
    const changes: Change[] = [];
    for (const [key, kept] of this.#pending) {
      const old = this.#target.lookup(key);
      const nu = kept === null ? undefined : toRecord(this.#restore ? this.#restore(kept) : kept as KubeObject, intern);
      if (old || nu) changes.push({ seq: this.#seq, key, old, new: nu });
    }
    this.#pending.clear();
    for (const change of changes) applyChange(state, change, false);
    this.#target.advance(this.#seq);
  }

  #holds(key: string): boolean {
    const pending = this.#pending.get(key);
    return pending === undefined ? this.#target.lookup(key) !== undefined : pending !== null;
  }
}
