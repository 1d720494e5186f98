import {
  isMeshfoldError, MeshfoldError, Projector, PROJECTOR_VERSION, type ApplyResult, type Delta, type ProjectorSnapshot,
} from '@meshfold/core';
import type { EventLog } from './EventLog.js';
import type { AppendEvent } from './planAppend.js';
import { loadState, type LoadStateOptions } from './loadState.js';
import { DEFAULT_SNAPSHOT_EVERY, snapshotSpacing } from './snapshotSpacing.js';
import { SnapshotChain } from './SnapshotChain.js';

/** Options of `ProjectedLog.open`: when to snapshot, whether to compute endpoint deltas, and how to load. */
export interface ProjectedLogOptions extends LoadStateOptions {
  /**
   * Snapshot the state at every seq this many events after the last snapshot (within a batch
   * too), or further apart for a large mesh: see `snapshotSpacing`. Default: `DEFAULT_SNAPSHOT_EVERY`.
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
 * appends only the valid ones (one atomic batch) and snapshots every `snapshotEvery` events (see
 * `snapshotSpacing`), at the seq the count is reached, written after the batch.
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
    this.#snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
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
    // Taken as the fold reaches their seqs, written once the events they follow are.
    const due: ProjectorSnapshot[] = [];
    events.forEach((event, index) => {
      try {
        const seq = this.log.lastSeq + accepted.length + 1;
        const applied = this.#deltas ? this.projector.apply(event, seq) : this.projector.replay(event, seq);
        accepted.push(event);
        this.#onApplied?.(seq, event, applied);
        if (applied.change) this.#chain.touch(applied.change.key);
        result.deltas.push(...applied.deltas);
        if (applied.notice) result.notices.push({ seq: applied.seq, ...applied.notice });
        if (++this.#sinceSnapshot >= snapshotSpacing(this.projector.state, this.#snapshotEvery)) due.push(this.#take());
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        result.rejected.push({ index, error: err });
      }
    });
    if (accepted.length > 0) result.seqs.push(...await this.log.append(accepted, { checkedBy: PROJECTOR_VERSION }));
    for (const state of due) await this.#put(state);
    return result;
  }

  /** Snapshots the current state now. */
  async snapshot(): Promise<void> {
    if (this.projector.seq === 0) return;
    await this.#put(this.#take());
  }

  #take(): ProjectorSnapshot {
    this.#sinceSnapshot = 0;
    return this.#chain.take(this.projector);
  }

  async #put(state: ProjectorSnapshot): Promise<void> {
    await this.log.putSnapshot(state.seq, { projectorVersion: PROJECTOR_VERSION, hash: Projector.digest(state), state });
  }
}
