import { identityOf, isMeshfoldError, MeshfoldError } from '@meshfold/core';
import { ProjectedLog, type AppendEvent, type EventLog } from '@meshfold/store';
import type { InputItem } from '../readInput.js';

export interface RecorderOptions {
  /** See ProjectedLog. Default 1000. */
  snapshotEvery?: number;
  /** Events held before they are appended as one batch. Default 1000. */
  batch?: number;
  /**
   * The clock events are stamped with when they are read, in epoch ms. Default `Date.now`;
   * tests inject one.
   */
  now?: () => number;
  /** A line on `err` for every event read and every batch appended (`--verbose`). */
  verbose?: boolean;
  /** Where rejections, warnings and verbose lines go (stderr in the CLI). */
  err: (text: string) => void;
}

/**
 * What `record` and `watch` share: events read are held, then appended in batches through the
 * projection (invalid ones are reported with their input position and never reach the log),
 * and the counts of what happened are kept for the summary.
 *
 * Once an append fails the projection is ahead of the log (see ProjectedLog.record), so the
 * recorder refuses to append anything more: every later flush throws the same error.
 */
export class Recorder {
  readonly log: EventLog;
  /** The seq the first event of this recording gets. */
  readonly firstSeq: number;
  /** Events read (documents that became an event to append). */
  read = 0;
  /** Documents refused: malformed, invalid, or of a version meshfold does not know. */
  rejected = 0;
  readonly #projected: ProjectedLog;
  readonly #options: RecorderOptions;
  #pending: { item: InputItem; event: AppendEvent }[] = [];
  #failed: { error: MeshfoldError; lost: number } | undefined;
  /** The time of the last event stamped (or of the log's last event): times never go back. */
  #lastEpochMs: number;

  private constructor(projected: ProjectedLog, options: RecorderOptions, lastEpochMs: number) {
    this.#projected = projected;
    this.log = projected.log;
    this.firstSeq = projected.log.lastSeq + 1;
    this.#options = options;
    this.#lastEpochMs = lastEpochMs;
  }

  static async open(log: EventLog, options: RecorderOptions): Promise<Recorder> {
    const projected = await ProjectedLog.open(log, { snapshotEvery: options.snapshotEvery ?? 1000 });
    const last = log.lastSeq > 0 ? Date.parse((await log.get(log.lastSeq))!.time) : 0;
    return new Recorder(projected, options, Number.isNaN(last) ? 0 : last);
  }

  /** Events appended by this recorder so far. */
  get appended(): number {
    return this.log.lastSeq - this.firstSeq + 1;
  }

  /** Events read but not appended yet. */
  get pending(): number {
    return this.#pending.length;
  }

  /** The append failure that stopped this recorder, if one did. */
  get failure(): MeshfoldError | undefined {
    return this.#failed?.error;
  }

  /** Takes one item of the input: holds its event (appending a full batch), or reports why not. */
  async add(item: InputItem): Promise<void> {
    if (item.error) {
      this.rejected++;
      this.#options.err(`${item.error.code}: ${item.error.message}\n`);
      return;
    }
    if (!item.event) return;
    this.read++;
    if (this.#options.verbose) this.#options.err(`read ${describeEvent(item)}\n`);
    // Stamped now, not when appended: an event held for a batch keeps the time it was read.
    this.#pending.push({ item, event: { ...item.event, time: this.#stamp() } });
    if (this.#pending.length >= (this.#options.batch ?? 1000)) await this.flush();
  }

  /** Appends every event held, as one atomic batch. */
  async flush(): Promise<void> {
    if (this.#failed) throw this.#failed.error;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    let result;
    try {
      result = await this.#projected.record(batch.map((p) => p.event));
    } catch (err) {
      throw this.#fail(err, batch.length);
    }
    for (const r of result.rejected) {
      this.rejected++;
      this.#options.err(`${r.error.code}: ${position(batch[r.index]!.item)}: ${r.error.message}\n`);
    }
    for (const n of result.notices) this.#options.err(`warning: ${n.code}: ${n.message}\n`);
    if (this.#options.verbose && result.seqs.length > 0) {
      this.#options.err(`appended seq ${result.seqs[0]}..${result.seqs.at(-1)}\n`);
    }
  }

  /** Appends what is held and writes a snapshot of the final state (time travel starts there). */
  async finish(): Promise<void> {
    await this.flush();
    try {
      await this.#projected.snapshot();
    } catch (err) {
      throw this.#fail(err, 0);
    }
  }

  /** `recorded N events (seq A..B); rejected R`, plus what was lost if an append failed. */
  summary(): string {
    const count = this.appended;
    const range = count > 0 ? `seq ${this.firstSeq}..${this.log.lastSeq}` : 'nothing appended';
    const lost = this.#failed && this.#failed.lost > 0 ? `; ${this.#failed.lost} read but not saved` : '';
    return `recorded ${count} event${count === 1 ? '' : 's'} (${range}); rejected ${this.rejected}${lost}\n`;
  }

  /**
   * The clock's time, held at the last one stamped if the clock steps back: the log requires
   * times in seq order (its time index is one seek), and a recording must not fail over it.
   */
  #stamp(): string {
    this.#lastEpochMs = Math.max((this.#options.now ?? Date.now)(), this.#lastEpochMs);
    return new Date(this.#lastEpochMs).toISOString();
  }

  #fail(err: unknown, lost: number): MeshfoldError {
    const error = isMeshfoldError(err)
      ? err
      : new MeshfoldError('STORE_IO', `${String((err as Error)?.message ?? err)}`);
    this.#failed = { error, lost };
    return error;
  }
}

/** As the input reader words positions: `file: document 3, item 1 (line 41)`. */
export function position(item: InputItem): string {
  return `${item.source}: document ${item.index}${item.item !== undefined ? `, item ${item.item}` : ''} (line ${item.line})`;
}

/** `ADDED ServiceEntry/ns/name (file: document 3 (line 41))`, for --verbose. */
function describeEvent(item: InputItem): string {
  let identity: string;
  try {
    identity = identityOf(item.event!.object, 0);
  } catch {
    identity = `${String(item.event!.object?.kind)}/?`;
  }
  return `${item.event!.type} ${identity} (${position(item)})`;
}
