import { Worker } from 'node:worker_threads';
import { checkEvent, isMeshfoldError, MeshfoldError, PROJECTOR_VERSION, type Notice, type ProjectorSnapshot } from '@meshfold/core';
import { loadState, type AppendEvent, type EventLog, type IndexBlock, type RecordResult, type Rejection } from '@meshfold/store';
import { keepsLinkIndex } from '../linkIndex/keepsLinkIndex.js';
import { LINK_INDEX } from '../linkIndex/linkIndexName.js';
import { RECORDING_HEAP } from './recordingHeap.js';

/** What the recording thread sends the fold thread. */
export type ToFoldThread =
  /** `links`: keep the link index (it covers every seq up to `seq`). */
  | { kind: 'init'; seq: number; objects?: ProjectorSnapshot['objects']; snapshotEvery: number; links: boolean }
  /**
   * Events `firstSeq..` as the log holds them (`type` and `object`), each as its JSON text: parsed
   * one by one, each object dies young; one array of them all would live until the last is folded.
   */
  | { kind: 'events'; firstSeq: number; texts: string[] }
  | { kind: 'snapshot' };

/** A snapshot the fold thread took (full, or a delta of `base`: see SnapshotChain) and its digest. */
export interface TakenSnapshot { seq: number; objects: ProjectorSnapshot['objects']; hash: string; base?: number }

/** The link index blocks of one folded batch, `from..through`. */
export interface LinkBlocks { from: number; through: number; blocks: IndexBlock[] }

/** What the fold thread answers, in the order it was asked. */
export type FromFoldThread =
  | { kind: 'folded'; notices: (Notice & { seq: number })[]; snapshots: TakenSnapshot[]; links?: LinkBlocks }
  | { kind: 'snapshot'; snapshot?: TakenSnapshot }
  | { kind: 'failed'; message: string };

/**
 * Batches posted and not yet folded before `record` waits: the fold thread keeps up with the
 * reading one, so this only bounds memory when it falls behind.
 */
const MAX_UNFOLDED_BATCHES = 4;

/**
 * `ProjectedLog` split over two threads, for `record`: this thread checks each event
 * (`checkEvent`: whether the fold accepts an event does not depend on the state) and appends the
 * accepted ones, while a worker thread folds them and takes the snapshots, which this thread then
 * writes. Reading, parsing, checking and appending on one core, folding and snapshotting on the
 * other, instead of all of it on one.
 *
 * The log gets the same events, rejections and snapshots (at the same seqs, by the same spacing
 * rule) as through `ProjectedLog`; notices (a delete of an unknown object) arrive when the batch
 * is folded, a little after its append. The worker also builds the link index blocks (see
 * LinkBlockBuilder), which this thread writes behind the events. A failure of the worker or of a
 * snapshot or index write fails the next `record` or `snapshot`, which appends nothing more.
 */
export class FoldWorker {
  readonly log: EventLog;
  readonly #worker: Worker;
  readonly #onNotice: (notice: Notice & { seq: number }) => void;
  #unfolded = 0;
  #wake: (() => void) | undefined;
  #snapshotAnswer: ((snapshot: TakenSnapshot | undefined) => void) | undefined;
  #failure: MeshfoldError | undefined;
  /** Snapshot writes in order; each catches its own failure into `#failure`. */
  #writes: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(log: EventLog, worker: Worker, onNotice: (notice: Notice & { seq: number }) => void) {
    this.log = log;
    this.#worker = worker;
    this.#onNotice = onNotice;
    worker.on('message', (message: FromFoldThread) => this.#receive(message));
    worker.on('error', (err) => this.#fail(`the fold thread failed: ${err.message}`));
    worker.on('exit', () => {
      if (!this.#closed) this.#fail('the fold thread exited');
    });
  }

  /** Starts the fold thread from the log's state at its last seq. */
  static async open(log: EventLog, options: { snapshotEvery: number; onNotice: (notice: Notice & { seq: number }) => void }): Promise<FoldWorker> {
    const projector = await loadState(log, log.lastSeq);
    const links = await keepsLinkIndex(log);
    const worker = new Worker(new URL('./foldThread.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: RECORDING_HEAP.foldThreadYoungGenerationMb } });
    const init: ToFoldThread = {
      kind: 'init', seq: projector.seq, snapshotEvery: options.snapshotEvery, links,
      ...(projector.seq > 0 && { objects: projector.toSnapshot().objects }),
    };
    worker.postMessage(init);
    return new FoldWorker(log, worker, options.onNotice);
  }

  /**
   * As `ProjectedLog.record`, without deltas; notices go to `onNotice` once the batch is folded.
   * `texts[i]`, when given, is JSON that parses to `events[i]`'s type and object (the document it
   * was read from): handed on as it is instead of serialised again.
   */
  async record(events: readonly AppendEvent[], texts: readonly (string | undefined)[] = []): Promise<RecordResult> {
    if (this.#failure) throw this.#failure;
    const accepted: AppendEvent[] = [];
    const acceptedTexts: string[] = [];
    const rejected: Rejection[] = [];
    const first = this.log.lastSeq + 1;
    events.forEach((event, index) => {
      try {
        checkEvent(event, first + accepted.length);
        accepted.push(event);
        acceptedTexts.push(texts[index] ?? JSON.stringify({ type: event.type, object: event.object }));
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        rejected.push({ index, error: err });
      }
    });
    const seqs = accepted.length > 0 ? await this.log.append(accepted, { checkedBy: PROJECTOR_VERSION }) : [];
    if (seqs.length > 0) {
      this.#post({ kind: 'events', firstSeq: seqs[0]!, texts: acceptedTexts });
      this.#unfolded++;
      while (this.#unfolded >= MAX_UNFOLDED_BATCHES && !this.#failure) await new Promise<void>((resolve) => { this.#wake = resolve; });
    }
    return { seqs, deltas: [], rejected, notices: [] };
  }

  /** Waits for every batch to be folded and writes a snapshot of the state after them. */
  async snapshot(): Promise<void> {
    if (this.#failure) throw this.#failure;
    const answer = new Promise<TakenSnapshot | undefined>((resolve) => { this.#snapshotAnswer = resolve; });
    this.#post({ kind: 'snapshot' });
    const taken = await answer;
    if (taken) this.#write(taken);
    await this.#writes;
    if (this.#failure) throw this.#failure;
  }

  /** Stops the fold thread; what it had not folded is lost to the projection, never to the log. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes;
    await this.#worker.terminate();
  }

  #post(message: ToFoldThread): void {
    this.#worker.postMessage(message);
  }

  #receive(message: FromFoldThread): void {
    if (message.kind === 'failed') {
      this.#fail(`the fold thread failed: ${message.message}`);
      return;
    }
    if (message.kind === 'snapshot') {
      const answer = this.#snapshotAnswer;
      this.#snapshotAnswer = undefined;
      answer?.(message.snapshot);
      return;
    }
    this.#unfolded--;
    for (const notice of message.notices) this.#onNotice(notice);
    for (const snapshot of message.snapshots) this.#write(snapshot);
    if (message.links) this.#writeLinks(message.links);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #write(taken: TakenSnapshot): void {
    const state = { seq: taken.seq, objects: taken.objects, ...(taken.base !== undefined && { base: taken.base }) };
    const snapshot = { projectorVersion: PROJECTOR_VERSION, hash: taken.hash, state };
    this.#queue(() => this.log.putSnapshot(taken.seq, snapshot));
  }

  #writeLinks({ from, through, blocks }: LinkBlocks): void {
    this.#queue(() => this.log.putIndexBlocks(LINK_INDEX, from, through, blocks));
  }

  /** Writes go in the order the fold thread answered; a failure is kept for the next `record` or `snapshot`. */
  #queue(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch((err: unknown) => {
      this.#failure ??= isMeshfoldError(err) ? err : new MeshfoldError('STORE_IO', String((err as Error)?.message ?? err));
    });
  }

  #fail(message: string): void {
    this.#failure ??= new MeshfoldError('STORE_IO', message);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    const answer = this.#snapshotAnswer;
    this.#snapshotAnswer = undefined;
    answer?.(undefined);
  }
}
