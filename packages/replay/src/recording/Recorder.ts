import { identityOf, isMeshfoldError, MeshfoldError, objectsOf, recordKey, type KubeObject, type ObjectRecord } from '@meshfold/core';
import { DEFAULT_SNAPSHOT_EVERY, ProjectedLog, type AppendEvent, type EventLog, type RecordResult } from '@meshfold/store';
import type { InputItem } from '@meshfold/core';
import { FoldWorker } from './FoldWorker.js';
import { keepsLinkIndex } from '../linkIndex/keepsLinkIndex.js';
import { LinkBlockBuilder } from '../linkIndex/LinkBlockBuilder.js';
import { LINK_INDEX } from '../linkIndex/linkIndexName.js';

export interface RecorderOptions {
  /** See ProjectedLog. Default `DEFAULT_SNAPSHOT_EVERY`. */
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
  /**
   * Fold and snapshot in a worker thread (see FoldWorker) while this one reads, checks and
   * appends. Not with `sync`, which reads the state. Default false.
   */
  foldInWorker?: boolean;
}

/** What one relist changed in the log. */
export interface SyncResult {
  /** The seq its events start at (their `origin.sync`); 0 when it appended nothing. */
  seq: number;
  /** Objects in the set that were already in the log as they are. */
  unchanged: number;
  added: number;
  modified: number;
  /** Objects the log held that were absent from the set: each got a synthesized DELETED. */
  removed: number;
  /** Why nothing was removed although the set was read (an unreadable document, a stop). */
  incomplete?: string;
}

/**
 * What `record` and `watch` share: events read are held, then appended in batches through the
 * projection (invalid ones are reported with their input position and never reach the log),
 * and the counts of what happened are kept for the summary.
 *
 * Once an append fails the projection is ahead of the log (see ProjectedLog.record), so the
 * recorder refuses to append anything more: every later flush throws the same error.
 */
/**
 * A batch is appended once the events it holds were read from this many characters of input,
 * even if it holds fewer events than a full batch: big objects must not pile up a batch's worth
 * of memory (a thousand of them at the size an object may have would be gigabytes).
 */
export const MAX_BATCH_CHARS = 32 * 1024 * 1024;

export class Recorder {
  readonly log: EventLog;
  /** The seq the first event of this recording gets. */
  readonly firstSeq: number;
  /** Events read (documents that became an event to append). */
  read = 0;
  /** Documents refused: malformed, invalid, or of a version meshfold does not know. */
  rejected = 0;
  /** Objects of other kinds (a Service in the same file): not meshfold's to record. */
  skipped = 0;
  readonly #projected: ProjectedLog | FoldWorker;
  /** The link index blocks of what ProjectedLog folded, written after each append (a FoldWorker writes its own). */
  readonly #links: LinkBlockBuilder | undefined;
  readonly #options: RecorderOptions;
  #pending: { item: InputItem; event: AppendEvent }[] = [];
  /** The append of the last full batch, started and not awaited yet (see {@link add}), and its size. */
  #inflight: { done: Promise<unknown>; events: number } | undefined;
  /** Characters of input the held events were read from (see {@link MAX_BATCH_CHARS}). */
  #pendingChars = 0;
  #failed: { error: MeshfoldError; lost: number } | undefined;
  /** The time of the last event stamped (or of the log's last event): times never go back. */
  #lastEpochMs: number;
  /** `#lastEpochMs` as the ISO string it was last stamped as. */
  #lastStamp: string | undefined;

  private constructor(projected: ProjectedLog | FoldWorker, options: RecorderOptions, lastEpochMs: number, links: LinkBlockBuilder | undefined) {
    this.#projected = projected;
    this.#links = links;
    this.log = projected.log;
    this.firstSeq = projected.log.lastSeq + 1;
    this.#options = options;
    this.#lastEpochMs = lastEpochMs;
  }

  static async open(log: EventLog, options: RecorderOptions): Promise<Recorder> {
    const snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    // Folding in a worker, the worker keeps the link index; here, this thread does, from ProjectedLog's fold.
    const links = !options.foldInWorker && await keepsLinkIndex(log) ? new LinkBlockBuilder() : undefined;
    const projected = options.foldInWorker
      ? await FoldWorker.open(log, { snapshotEvery, onNotice: (n) => options.err(`warning: ${n.code}: ${n.message}\n`) })
      : await ProjectedLog.open(log, { snapshotEvery, ...(links && { onApplied: (seq, event, result) => links.add(seq, event, result) }) });
    let last: number;
    try {
      last = log.lastSeq > 0 ? Date.parse((await log.get(log.lastSeq))!.time) : 0;
    } catch (err) {
      if (projected instanceof FoldWorker) await projected.close(); // its thread would keep the process alive
      throw err;
    }
    return new Recorder(projected, options, Number.isNaN(last) ? 0 : last, links);
  }

  /** Events appended by this recorder so far. */
  get appended(): number {
    return this.log.lastSeq - this.firstSeq + 1;
  }

  /** Events read but not appended yet (held, or being appended). */
  get pending(): number {
    return this.#pending.length + (this.#inflight?.events ?? 0);
  }

  /** The append failure that stopped this recorder, if one did. */
  get failure(): MeshfoldError | undefined {
    return this.#failed?.error;
  }

  /**
   * Takes one item of the input: holds its event, or reports why not. A full batch starts being
   * appended once the batch before it is written, and is not waited for: the next one is read
   * and checked while LevelDB writes it (a write that fails fails the next `add` or `flush`).
   */
  async add(item: InputItem): Promise<void> {
    if (this.#hold(item)) await this.#flushBehind();
  }

  /** {@link add} for each item in turn, without an asynchronous step per item. */
  async addAll(items: readonly InputItem[]): Promise<void> {
    for (const item of items) {
      if (this.#hold(item)) await this.#flushBehind();
    }
  }

  /** Holds an item's event, or reports why not; true when the batch held is full. */
  #hold(item: InputItem): boolean {
    if (item.skipped) {
      this.skipped++;
      this.#options.err(`warning: ${item.skipped.code}: ${item.skipped.message}; skipped\n`);
      return false;
    }
    if (item.error) {
      this.rejected++;
      this.#options.err(`${item.error.code}: ${item.error.message}\n`);
      return false;
    }
    if (!item.event) return false;
    this.read++;
    if (this.#options.verbose) this.#options.err(`read ${describeEvent(item)}\n`);
    // Stamped now, not when appended: an event held for a batch keeps the time it was read.
    this.#pending.push({ item, event: { type: item.event.type, object: item.event.object, time: this.#stamp() } });
    this.#pendingChars += item.chars ?? 0;
    return this.#pending.length >= (this.#options.batch ?? 1000) || this.#pendingChars >= MAX_BATCH_CHARS;
  }

  /** Appends every event held, as one atomic batch, and waits until all of them are written. */
  async flush(): Promise<void> {
    await this.#settle();
    const batch = this.#take();
    if (batch) await this.#append(batch);
  }

  /** Starts appending the events held once the append before it is done; does not wait for this one. */
  async #flushBehind(): Promise<void> {
    await this.#settle();
    const batch = this.#take();
    if (batch) this.#inflight = { done: this.#append(batch).catch(() => {}), events: batch.length };
  }

  /** Waits for the append in flight; throws the failure that stopped this recorder, if one did. */
  async #settle(): Promise<void> {
    const inflight = this.#inflight;
    this.#inflight = undefined;
    await inflight?.done; // its failure is kept in #failed
    if (this.#failed) throw this.#failed.error;
  }

  #take(): { item: InputItem; event: AppendEvent }[] | undefined {
    if (this.#pending.length === 0) return undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.#pendingChars = 0;
    return batch;
  }

  /**
   * Records `items` as the complete set of ServiceEntries and WorkloadEntries (in `namespaces`,
   * when given; everywhere otherwise), as an informer's relist replaces its store: objects not in
   * the log are ADDED, objects that differ from the log's last version are MODIFIED, objects the
   * log holds that are absent from the set get a synthesized DELETED (carrying the last version
   * recorded), and objects present and unchanged produce no event. All of it is one atomic
   * append whose events carry `origin: {sync: S}`, S being the seq of the first of them.
   *
   * `complete: false` (reading was stopped part-way), or a document of the set that could not be
   * read, means the set may lack objects that exist: then nothing is removed.
   */
  async sync(items: readonly InputItem[], options: { namespaces?: readonly string[]; complete?: boolean; why?: string } = {}): Promise<SyncResult> {
    await this.flush();
    const time = this.#stamp();
    const listed = new Map<string, InputItem>();
    const unnamed: InputItem[] = [];
    let unreadable = 0;
    for (const item of items) {
      if (item.error) {
        unreadable++;
        await this.add(item); // reported and counted as any rejection
        continue;
      }
      if (item.skipped) {
        await this.add(item); // another kind: reported, counted, not part of the set
        continue;
      }
      if (!item.event) continue;
      this.read++;
      if (this.#options.verbose) this.#options.err(`read ${describeEvent(item)}\n`);
      if (item.event.type === 'DELETED') continue; // not part of the set
      const key = identityOrUndefined(item.event.object);
      if (key === undefined) unnamed.push(item); // the projection rejects it, with its reason
      else listed.set(key, item); // a later document about the same object wins
    }
    const result: SyncResult = { seq: 0, unchanged: 0, added: 0, modified: 0, removed: 0 };
    const batch: { item: InputItem; event: AppendEvent }[] = [];
    if (this.#projected instanceof FoldWorker) throw new Error('Recorder.sync reads the state, which a recorder folding in a worker does not hold');
    const projector = this.#projected.projector;
    const present = [...listed.keys()].filter((key) => projector.lookup(key) !== undefined);
    const last = await this.#lastObjects(present);
    for (const [key, item] of listed) {
      const before = last.get(key);
      if (before !== undefined && sameJson(before, item.event!.object)) {
        result.unchanged++;
        continue;
      }
      batch.push({ item, event: { type: before === undefined ? 'ADDED' : 'MODIFIED', object: item.event!.object, time } });
    }
    for (const item of unnamed) batch.push({ item, event: { ...item.event!, time } });
    const incomplete = options.complete === false
      ? options.why ?? 'reading the set was stopped before its end'
      : unreadable > 0 ? `${unreadable} document${unreadable === 1 ? '' : 's'} of the set could not be read` : undefined;
    if (incomplete) {
      result.incomplete = incomplete;
    } else {
      const inScope = (rec: ObjectRecord) => options.namespaces === undefined || options.namespaces.includes(rec.namespace);
      const absent: string[] = [];
      for (const rec of objectsOf(projector.state)) {
        const key = recordKey(rec);
        if (inScope(rec) && !listed.has(key)) absent.push(key);
      }
      absent.sort();
      const gone = await this.#lastObjects(absent);
      for (const key of absent) {
        const object = gone.get(key)!;
        batch.push({ item: { source: 'relist', index: 0, line: 0, event: { type: 'DELETED', object } }, event: { type: 'DELETED', object, time } });
      }
    }
    if (batch.length === 0) return result;
    const seq = this.log.lastSeq + 1;
    for (const b of batch) b.event.origin = { sync: seq };
    const appended = await this.#append(batch);
    const rejected = new Set(appended.rejected.map((r) => r.index));
    batch.forEach((b, i) => {
      if (rejected.has(i)) return;
      if (b.event.type === 'ADDED') result.added++;
      else if (b.event.type === 'MODIFIED') result.modified++;
      else result.removed++;
    });
    if (appended.seqs.length > 0) result.seq = seq;
    return result;
  }

  /** The object of the last event about each key (every key must have one). */
  async #lastObjects(keys: readonly string[]): Promise<Map<string, KubeObject>> {
    const seqs = await Promise.all(keys.map((key) => this.log.lastSeqOf(key)));
    const events = seqs.length === 0 ? [] : await this.log.getMany(seqs);
    return new Map(keys.map((key, i) => [key, events[i]!.object]));
  }

  async #append(batch: { item: InputItem; event: AppendEvent }[]): Promise<RecordResult> {
    let result: RecordResult;
    try {
      const events = batch.map((p) => p.event);
      result = this.#projected instanceof FoldWorker
        ? await this.#projected.record(events, batch.map((p) => p.item.text))
        : await this.#projected.record(events);
    } catch (err) {
      throw this.#fail(err, batch.length);
    }
    try {
      if (this.#links && result.seqs.length > 0) await this.log.putIndexBlocks(LINK_INDEX, result.seqs[0]!, result.seqs.at(-1)!, this.#links.take());
    } catch (err) {
      throw this.#fail(err, 0); // the events are in the log; only their index is not
    }
    for (const r of result.rejected) {
      this.rejected++;
      this.#options.err(`${r.error.code}: ${position(batch[r.index]!.item)}: ${r.error.message}\n`);
    }
    for (const n of result.notices) this.#options.err(`warning: ${n.code}: ${n.message}\n`);
    if (this.#options.verbose && result.seqs.length > 0) {
      this.#options.err(`appended seq ${result.seqs[0]}..${result.seqs.at(-1)}\n`);
    }
    return result;
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

  /**
   * Ends a recording that may already have failed with `earlier` (a read error): finishes unless
   * an append failed, and returns what to report — the append failure first, then `earlier`, then
   * a failure of finishing itself — or undefined when all went well.
   */
  async end(earlier?: unknown): Promise<unknown> {
    let failure = earlier;
    if (!this.#failed) {
      try {
        await this.finish();
      } catch (err) {
        failure ??= err;
      }
    }
    if (this.#projected instanceof FoldWorker) await this.#projected.close();
    return this.#failed?.error ?? failure;
  }

  /** `recorded N events (seq A..B); rejected R; skipped S`, plus what was lost if an append failed. */
  summary(): string {
    const count = this.appended;
    const range = count > 0 ? `seq ${this.firstSeq}..${this.log.lastSeq}` : 'nothing appended';
    // Events held when the append failed (read while it was being written) are lost with it.
    const unsaved = this.#failed ? this.#failed.lost + this.#pending.length : 0;
    const lost = unsaved > 0 ? `; ${unsaved} read but not saved` : '';
    return `recorded ${count} event${count === 1 ? '' : 's'} (${range}); rejected ${this.rejected}; skipped ${this.skipped}${lost}\n`;
  }

  /**
   * The clock's time, held at the last one stamped if the clock steps back: the log requires
   * times in seq order (its time index is one seek), and a recording must not fail over it.
   */
  #stamp(): string {
    const ms = Math.max((this.#options.now ?? Date.now)(), this.#lastEpochMs);
    // Most events of a stream are read within the same millisecond as the one before.
    if (ms !== this.#lastEpochMs || this.#lastStamp === undefined) this.#lastStamp = new Date(ms).toISOString();
    this.#lastEpochMs = ms;
    return this.#lastStamp;
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

function identityOrUndefined(object: KubeObject): string | undefined {
  try {
    return identityOf(object, 0);
  } catch {
    return undefined;
  }
}

/** Whether two JSON values are equal, whatever the order of their keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => sameJson(v, other[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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
