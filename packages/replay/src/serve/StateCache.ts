import type { Projector } from '@meshfold/core';
import { loadState, type EventLog, type StoreReport } from '@meshfold/store';

/**
 * The last few states the inspector loaded, by seq. A scrub forward starts from the nearest
 * cached state at or before the target (or a closer snapshot), so it replays only the events in
 * between; concurrent requests for one seq share one load. A state at a seq never changes (the log
 * only grows), so entries stay valid while the log is followed.
 */
export class StateCache {
  readonly #log: EventLog;
  readonly #size: number;
  readonly #onReport: (report: StoreReport) => void;
  /** Insertion order is recency: the first key is the least recently used. */
  readonly #loading = new Map<number, Promise<Projector>>();
  readonly #ready = new Map<number, Projector>();

  constructor(log: EventLog, options: { size?: number; onReport?: (report: StoreReport) => void } = {}) {
    this.#log = log;
    this.#size = options.size ?? 4;
    this.#onReport = options.onReport ?? (() => {});
  }

  /** The projection after `seq`. Callers must not apply events to it: it is shared. */
  stateAt(seq: number): Promise<Projector> {
    const known = this.#loading.get(seq);
    if (known) {
      this.#touch(seq, known);
      return known;
    }
    const from = this.#nearestAtOrBefore(seq);
    const loading = loadState(this.#log, seq, { onReport: this.#onReport, ...(from && { from }) });
    this.#touch(seq, loading);
    loading.then(
      (projector) => { if (this.#loading.get(seq) === loading) this.#ready.set(seq, projector); },
      () => { if (this.#loading.get(seq) === loading) this.#loading.delete(seq); },
    );
    return loading;
  }

  /** Seqs held, least recently used first (for tests). */
  get seqs(): number[] {
    return [...this.#loading.keys()];
  }

  #touch(seq: number, loading: Promise<Projector>): void {
    this.#loading.delete(seq);
    this.#loading.set(seq, loading);
    while (this.#loading.size > this.#size) {
      const oldest = this.#loading.keys().next().value as number;
      this.#loading.delete(oldest);
      this.#ready.delete(oldest);
    }
  }

  #nearestAtOrBefore(seq: number): Projector | undefined {
    let best: Projector | undefined;
    for (const [at, projector] of this.#ready) if (at <= seq && (!best || at > best.seq)) best = projector;
    return best;
  }
}
