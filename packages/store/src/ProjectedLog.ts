import {
  isMeshfoldError, MeshfoldError, Projector, PROJECTOR_VERSION, type ApplyResult, type Delta,
} from '@meshfold/core';
import type { EventLog } from './EventLog.js';
import type { AppendEvent } from './planAppend.js';
import { loadState, type LoadStateOptions } from './loadState.js';
import { snapshotSpacing } from './snapshotSpacing.js';
import { SnapshotChain } from './SnapshotChain.js';

/** Options of `ProjectedLog.open`: when to snapshot, whether to compute endpoint deltas, and how to load. */
export interface ProjectedLogOptions extends LoadStateOptions {
  /**
   * Write a snapshot once this many events have been appended since the last one, or an eighth
   * of the number of live objects if that is more. Default: 1000.
   */
  snapshotEvery?: number;
  /**
   * Compute endpoint and service deltas for each recorded event (for live consumers). Default
   * false: recording then only keeps the state current, and returns association deltas alone.
   */
  deltas?: boolean;
  /**
   * Called with each event `record` accepts, in seq order, before the batch is appended: for
   * writers of data derived from the fold (replay's link index). If the append then fails, so does `record`.
   */
  onApplied?: (seq: number, event: AppendEvent, result: ApplyResult) => void;
}

/** An event `record` refused, never appended. */
export interface Rejection {
  /** Position of the event in the `record` call's input. */
  readonly index: number;
  readonly error: MeshfoldError;
}

/** What one `record` call appended, changed, refused and noticed. */
export interface RecordResult {
  readonly seqs: number[];
  readonly deltas: Delta[];
  readonly rejected: Rejection[];
  readonly notices: { seq: number; code: string; message: string }[];
}

/**
 * A log with its projection kept current: `record` validates each event against the live state,
 * appends only the valid ones (one atomic batch) and snapshots every `snapshotEvery` events (or
 * every eighth of the live objects' count, when that is more).
 */
export class ProjectedLog {
  readonly log: EventLog;
  readonly projector: Projector;
  readonly #snapshotEvery: number;
  readonly #deltas: boolean;
  readonly #onApplied: ProjectedLogOptions['onApplied'];
  #sinceSnapshot: number;
  /** Which snapshot comes next, full or a delta of the objects changed since the last one. */
  readonly #chain = new SnapshotChain();

  private constructor(log: EventLog, projector: Projector, options: ProjectedLogOptions) {
    this.log = log;
    this.projector = projector;
    this.#snapshotEvery = options.snapshotEvery ?? 1000;
    this.#deltas = options.deltas ?? false;
    this.#onApplied = options.onApplied;
    this.#sinceSnapshot = 0;
  }

  static async open(log: EventLog, options: ProjectedLogOptions = {}): Promise<ProjectedLog> {
    const projector = await loadState(log, log.lastSeq, options);
    return new ProjectedLog(log, projector, options);
  }

  /**
   * Appends the valid events; invalid ones are returned as rejections and never reach the log.
   * If the append itself fails, the in-memory projection is ahead of the log: discard this object.
   */
  async record(events: readonly AppendEvent[]): Promise<RecordResult> {
    const accepted: AppendEvent[] = [];
    const result: RecordResult = { seqs: [], deltas: [], rejected: [], notices: [] };
    events.forEach((event, index) => {
      try {
        const seq = this.log.lastSeq + accepted.length + 1;
        const applied = this.#deltas ? this.projector.apply(event, seq) : this.projector.replay(event, seq);
        accepted.push(event);
        this.#onApplied?.(seq, event, applied);
        if (applied.change) this.#chain.touch(applied.change.key);
        result.deltas.push(...applied.deltas);
        if (applied.notice) result.notices.push({ seq: applied.seq, ...applied.notice });
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        result.rejected.push({ index, error: err });
      }
    });
    if (accepted.length > 0) result.seqs.push(...await this.log.append(accepted, { checkedBy: PROJECTOR_VERSION }));
    this.#sinceSnapshot += accepted.length;
    if (this.#sinceSnapshot >= this.#snapshotSpacing()) await this.snapshot();
    return result;
  }

  #snapshotSpacing(): number {
    return snapshotSpacing(this.projector.state, this.#snapshotEvery);
  }

  /** Snapshots the current state now. */
  async snapshot(): Promise<void> {
    if (this.projector.seq === 0) return;
    const state = this.#chain.take(this.projector);
    await this.log.putSnapshot(this.projector.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(state), state });
    this.#sinceSnapshot = 0;
  }
}
