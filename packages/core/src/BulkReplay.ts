import { applyChange, type Change } from './internal/applyChange.js';
import type { Interner } from './internal/Interner.js';
import type { KubeObject, WatchEvent } from './objects.js';
import { assertUpsert, assertValidIdentity, identityOf, unknownDelete } from './internal/pairEvent.js';
import type { Notice } from './MeshfoldError.js';
import type { MutableState } from './internal/MutableState.js';
import type { ObjectRecord } from './records.js';
import { assertValidObject, toRecord } from './internal/toRecord.js';

/** What a BulkReplay needs of its projector. */
export interface BulkReplayTarget {
  readonly state: MutableState;
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
  #seq: number;

  constructor(target: BulkReplayTarget, seq: number) {
    this.#target = target;
    this.#seq = seq;
  }

  /** Objects taken since the last commit: commit before it grows past what memory allows. */
  get pending(): number {
    return this.#pending.size;
  }

  /** What was kept for each object whose last event is not a delete (see `add`'s `kept`). */
  kept(): unknown[] {
    return [...this.#pending.values()].filter((kept) => kept !== null);
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
   * `kept`: what to hold until commit instead of the object (e.g. the bytes or the seq it was
   * stored at, which cost the garbage collector far less to hold than a decoded tree); commit
   * is then given the function that restores the object from it.
   */
  add(event: WatchEvent, seq = this.#seq + 1, checked = false, kept: unknown = event.object): Notice | undefined {
    const key = identityOf(event.object, seq);
    if (event.type === 'DELETED') {
      if (!checked) assertValidIdentity(event.object, key, seq);
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
  commit(restore: (kept: unknown) => KubeObject = (kept) => kept as KubeObject): void {
    const { state, intern } = this.#target;
    const changes: Change[] = [];
    for (const [key, kept] of this.#pending) {
      const old = this.#target.lookup(key);
      const nu = kept === null ? undefined : toRecord(restore(kept), intern);
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
