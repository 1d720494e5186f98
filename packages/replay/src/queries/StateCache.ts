import type { Projector } from '@meshfold/core';
import { loadState, type EventLog, type StoreReport } from '@meshfold/store';

/**
 * The last few states the inspector loaded, by seq. A state starts from the nearest cached one
 * at or before it, even one still loading (the page asks for seq-1 and seq together, for the diff),
 * unless a snapshot is closer; so a scrub forward replays only the events in between. Concurrent
 * requests for one seq share one load. A state at a seq never changes (the log only grows), so
 * entries stay valid while the log is followed.
 */
export class StateCache {
  readonly #log: EventLog;
  readonly #size: number;
  readonly #onReport: (report: StoreReport) => void;
  /** Insertion order is recency: the first key is the least recently used. */
  readonly #states = new Map<number, Promise<Projector>>();

  constructor(log: EventLog, options: { size?: number; onReport?: (report: StoreReport) => void } = {}) {
    this.#log = log;
    this.#size = options.size ?? 4;
    this.#onReport = options.onReport ?? (() => {});
  }

  /** The projection after `seq`. Callers must not apply events to it: it is shared. */
  stateAt(seq: number): Promise<Projector> {
    let state = this.#states.get(seq);
    if (!state) {
      const loading = this.#load(seq);
      // A failed load is not kept: the next request tries again.
      loading.catch(() => { if (this.#states.get(seq) === loading) this.#states.delete(seq); });
      state = loading;
    }
    this.#states.delete(seq);
    this.#states.set(seq, state);
    for (const oldest of [...this.#states.keys()].slice(0, Math.max(0, this.#states.size - this.#size))) this.#states.delete(oldest);
    return state;
  }

  /** Seqs held, least recently used first (for tests). */
  get seqs(): number[] {
    return [...this.#states.keys()];
  }

  async #load(seq: number): Promise<Projector> {
    const nearest = Math.max(-1, ...[...this.#states.keys()].filter((at) => at <= seq));
    const from = await this.#states.get(nearest)?.catch(() => undefined);
    return loadState(this.#log, seq, { onReport: this.#onReport, ...(from && { from }) });
  }
}
