import { isMeshfoldError, MeshfoldError, parseRfc3339, type LoggedEvent } from '@meshfold/core';
import { Level } from 'level';
import { MemoryLevel } from 'memory-level';
import { EMPTY, Subject, catchError, defer, from as observableFrom, merge, throwError, type Observable } from 'rxjs';
import { join } from 'node:path';
import { AckedSeqMarker, ACKED_MARKER_FILE, readAckedSeq } from './AckedSeqMarker.js';
import { appendOperations } from './appendOperations.js';
import { decodeEvent } from './eventCodec.js';
import type { AppendOptions, EventLog, EventLogOptions, LogCapabilities, LogStatus, ReadRange } from './EventLog.js';
import type { IndexBlock } from './IndexBlock.js';
import { checkIndexPart, groupsOfIndexBlockKeys, indexBlockKey, indexKeyRange, indexThroughKey, seqOfIndexBlockKey } from './indexKeys.js';
import { inSeqOrder } from './inSeqOrder.js';
import { keyspaces, type BatchOperation, type Keyspaces, type LevelDatabase } from './keyspaces.js';
import { writeBatch } from './writeBatch.js';
import { LockWatch } from './LockWatch.js';
import { planAppend, type AppendEvent, type AppendPlan } from './planAppend.js';
import { missingEvents } from './missingEvents.js';
import { readEventBatches, type EncodedBatch } from './readEventBatches.js';
import { CHECKED_KEY, decodeChecked, encodeChecked, extendChecked, type CheckedRange } from './CheckedRanges.js';
import { recoverMeta } from './recoverMeta.js';
import { requireLogDir } from './requireLogDir.js';
import { MAX_SEQ, readUint64, seqKey, seqOfKey, writeUint64 } from './seqKey.js';
import { OBJECT_KEY_SUFFIX_BYTES, objectIndexKey, seqOfObjectIndexKey } from './objectKey.js';
import { SerialQueue } from './SerialQueue.js';
import type { Snapshot, SnapshotInfo, SnapshotInput, StoredSnapshot } from './Snapshot.js';
import { decodeSnapshot, encodeSnapshot } from './snapshotCodec.js';
import type { StoreReport } from './StoreReport.js';
import { storeError, storeOpenError, withStoreErrors } from './storeError.js';
import { TIME_KEY_SEQ_OFFSET, timeKey } from './timeKey.js';
import { isChecksummed } from './valueCodec.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * LevelDB's memtable size (its default is 4 MiB). The log's indexes are keyed by object and by
 * group, not by seq, so every table LevelDB flushes overlaps every older one and compaction
 * rewrites them again and again; fewer, bigger flushes take most of that work away from a
 * recording, which shares the machine's cores with it (README, "Benchmarks and budgets"). The
 * memory is taken as writes fill it (and as LevelDB replays its write-ahead log on opening), so a
 * log that is only read holds little of it.
 */
const WRITE_BUFFER_BYTES = 32 * 1024 * 1024;

/**
 * What one read of the snapshots fetches ahead, newest first: a delta chain's deltas (each the
 * objects one spacing changed) in one round trip to LevelDB's thread rather than one each, while
 * a full snapshot, bigger than this, ends the read it is in.
 */
const SNAPSHOT_READ_AHEAD_BYTES = 128 * 1024;

/** Options of a LevelDB (or memory-level) log. */
export interface LevelEventLogOptions extends EventLogOptions {
  /**
   * fsync every write. Without it a write survives a killed process (LevelDB has handed it to
   * the OS before the append resolves) but not a power loss. Default: false.
   */
  sync?: boolean;
  /** Disk logs: create the directory when it does not exist. Default: true (false when `readOnly`). */
  createIfMissing?: boolean;
}

/**
 * The event log on LevelDB: seq-ordered events plus snapshots and a time index, over any
 * abstract-level database. One process owns a disk log at a time (LevelDB's lock).
 */
export class LevelEventLog implements EventLog {
  /**
   * Opens (creating unless told not to) the log in directory `dir`. Without `createIfMissing`,
   * a directory that holds no LevelDB database is `STORE_NOT_FOUND` and is left untouched.
   */
  static async openDir(dir: string, options: LevelEventLogOptions = {}): Promise<LevelEventLog> {
    // The constructor starts opening by itself, so createIfMissing must be known here already.
    const createIfMissing = options.createIfMissing ?? !options.readOnly;
    // LevelDB creates its LOCK and LOG files before it finds out there is no database.
    if (!createIfMissing) requireLogDir(dir);
    const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view', createIfMissing, writeBufferSize: WRITE_BUFFER_BYTES });
    return LevelEventLog.#opened(db, { name: `log ${dir}`, ...options }, dir);
  }

  /** A log that lives as long as the process: for tests and embedding without durability. */
  static async openMemory(options: EventLogOptions = {}): Promise<LevelEventLog> {
    const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
    return LevelEventLog.#opened(db, { name: 'memory log', ...options });
  }

  static async #opened(db: LevelDatabase, options: LevelEventLogOptions, dir?: string): Promise<LevelEventLog> {
    const log = new LevelEventLog(db, options);
    log.#dir = dir;
    await log.open();
    return log;
  }

  readonly #db: LevelDatabase;
  readonly #name: string;
  readonly #options: LevelEventLogOptions;
  /** A disk log's directory, where the acknowledged-seq marker lives beside LevelDB's files. */
  #dir: string | undefined;
  #ackedMarker: AckedSeqMarker | undefined;
  #lockWatch: LockWatch | undefined;
  readonly #writes = new SerialQueue();
  readonly #lifecycle = new SerialQueue();
  #status: LogStatus = 'closed';
  #keyspaces: Keyspaces | undefined;
  #lastSeq = 0;
  #lastEpochMs = 0;
  #checked: readonly CheckedRange[] = [];
  #appended = new Subject<LoggedEvent>();

  /**
   * Wraps a database that the log then owns (it opens and closes it). Prefer the static openers.
   * Its default encodings must be `view` for keys and values: appends write prefixed binary keys
   * straight to it (see appendOperations).
   */
  constructor(db: LevelDatabase, options: LevelEventLogOptions = {}) {
    const formats = [db.keyEncoding().commonName, db.valueEncoding().commonName];
    if (formats.some((format) => format !== 'view')) {
      throw new MeshfoldError('STORE_UNKNOWN_FORMAT', `${options.name ?? 'log'}: the database must use view encodings for keys and values, not ${formats.join('/')}`);
    }
    this.#db = db;
    this.#options = options;
    this.#name = options.name ?? 'log';
  }

  get status(): LogStatus {
    return this.#status;
  }

  get capabilities(): LogCapabilities {
    const backend = this.#db instanceof MemoryLevel ? 'memory' : 'leveldb';
    return { backend, durable: backend === 'leveldb', sharedReaders: false, derivedIndexes: true, localReads: true };
  }

  /** One process owns a LevelDB log, so the last seq it knows is the last there is. */
  async refresh(): Promise<number> {
    this.#requireOpen('refresh');
    return this.#lastSeq;
  }

  /** The last committed seq, 0 for an empty log. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Opens the database and recovers the last seq. Idempotent; also reopens a closed log. */
  open(): Promise<void> {
    return this.#lifecycle.run(async () => {
      if (this.#status === 'open') return;
      this.#status = 'opening';
      try {
        this.#keyspaces = await this.#openKeyspaces();
        this.#appended = new Subject<LoggedEvent>();
        this.#status = 'open';
      } catch (err) {
        this.#status = 'closed';
        throw err;
      }
    });
  }

  /** Lets queued writes finish, completes every tail, then closes the database. Idempotent. */
  close(): Promise<void> {
    // Refuse new work now, not once earlier lifecycle steps have run.
    if (this.#status === 'open') this.#status = 'closing';
    return this.#lifecycle.run(async () => {
      if (this.#status === 'closed') return;
      this.#status = 'closing';
      await this.#writes.idle();
      this.#appended.complete();
      this.#keyspaces = undefined;
      try {
        await this.#ackedMarker?.close();
        this.#ackedMarker = undefined;
        await withStoreErrors(`${this.#name}: close`, () => this.#db.close());
      } finally {
        this.#status = 'closed';
      }
    });
  }

  /**
   * Appends events as one atomic batch and resolves with their seqs once it is written.
   * Appends queue behind each other, so concurrent callers get disjoint, increasing seqs.
   */
  async append(events: readonly AppendEvent[], options: AppendOptions = {}): Promise<number[]> {
    this.#requireWritable('append');
    return this.#writes.run(() => this.#write(events, options));
  }

  /** The seq ranges appended with `checkedBy`, oldest first. */
  get checkedRanges(): readonly CheckedRange[] {
    return this.#checked;
  }

  /** Events `from..to` in order. Throws on a gap or a value that does not decode. */
  async *read(range: ReadRange = {}): AsyncGenerator<LoggedEvent> {
    for await (const batch of this.readBatches(range)) yield* batch;
  }

  /** Like {@link read}, in arrays of up to `readBatchSize` events: the fast path for replay. */
  async *readBatches(range: ReadRange = {}): AsyncGenerator<LoggedEvent[]> {
    for await (const { events } of this.readEncodedBatches(range)) yield events;
  }

  /**
   * Like {@link readBatches}, with the bytes each event is stored as: a replay that must hold
   * on to many events holds one buffer each instead of a tree of decoded objects.
   */
  async *readEncodedBatches({ from = 1, to = MAX_SEQ }: ReadRange = {}): AsyncGenerator<EncodedBatch> {
    const { events } = this.#requireOpen('read');
    checkSeqArgument('from', from);
    checkSeqArgument('to', to);
    yield* readEventBatches(events, {
      from: Math.max(1, from),
      to: Math.min(to, this.#lastSeq),
      batchSize: this.#options.readBatchSize ?? 1000,
      where: `${this.#name}: read`,
    });
  }

  /** The event at `seq`, or undefined when `seq` is outside 1..lastSeq. */
  async get(seq: number): Promise<LoggedEvent | undefined> {
    const { events } = this.#requireOpen('get');
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.#lastSeq) return undefined;
    const where = `${this.#name}: get`;
    const value = await withStoreErrors(where, () => events.get(seqKey(seq)));
    if (value === undefined) throw missingEvents(seq, seq, where);
    return decodeEvent(value, seq);
  }

  /** The events at `seqs` (each within 1..lastSeq: a RangeError otherwise), in the order asked, in one read. */
  async getMany(seqs: readonly number[]): Promise<LoggedEvent[]> {
    const { events } = this.#requireOpen('get');
    const where = `${this.#name}: get`;
    for (const seq of seqs) {
      checkSeqArgument('seq', seq);
      if (seq < 1 || seq > this.#lastSeq) throw new RangeError(`seq ${seq} is outside the log's 1..${this.#lastSeq}`);
    }
    const values = await withStoreErrors(where, () => events.getMany(seqs.map(seqKey)));
    return values.map((value, i) => {
      if (value === undefined) throw missingEvents(seqs[i]!, seqs[i]!, where);
      return decodeEvent(value, seqs[i]!);
    });
  }

  /**
   * The seqs of the events about one object (`Kind/namespace/name`), in order, within
   * `from..to` — without reading any other event.
   */
  async seqsOf(identity: string, { from = 1, to = MAX_SEQ }: ReadRange = {}): Promise<number[]> {
    const { objects } = this.#requireOpen('seqsOf');
    const last = Math.min(to, this.#lastSeq);
    if (from > last) return [];
    const keys = await withStoreErrors(`${this.#name}: seqsOf`, () =>
      objects.keys({ gte: objectIndexKey(identity, Math.max(1, from)), lte: objectIndexKey(identity, last) }).all());
    return keys.map(seqOfObjectIndexKey);
  }

  /**
   * Every object (`Kind/namespace/name`) the log holds an event about whose identity starts with
   * `prefix` (`ServiceEntry/`, `WorkloadEntry/shop/`), in key order, live or deleted. One seek of
   * the object index per object, however many events each has.
   */
  async identities(prefix: string): Promise<string[]> {
    const { objects } = this.#requireOpen('identities');
    const start = encoder.encode(prefix);
    const end = new Uint8Array([...start, 0xff]);
    return withStoreErrors(`${this.#name}: identities`, async () => {
      const found: string[] = [];
      const keys = objects.keys({ gte: start, lt: end });
      try {
        for (let key = await keys.next(); key !== undefined; key = await keys.next()) {
          const identity = key.subarray(0, key.length - OBJECT_KEY_SUFFIX_BYTES);
          found.push(decoder.decode(identity));
          // Past every key of this object: its identity, then a byte above the NUL separator.
          keys.seek(new Uint8Array([...identity, 0x01]));
        }
      } finally {
        await keys.close();
      }
      return found;
    });
  }

  /** The seq of the last event about one object (`Kind/namespace/name`), 0 if there is none. */
  async lastSeqOf(identity: string, { from = 1, to = MAX_SEQ }: ReadRange = {}): Promise<number> {
    const { objects } = this.#requireOpen('lastSeqOf');
    const last = Math.min(to, this.#lastSeq);
    if (last < 1 || from > last) return 0;
    const [key] = await withStoreErrors(`${this.#name}: lastSeqOf`, () =>
      objects.keys({ gte: objectIndexKey(identity, Math.max(1, from)), lte: objectIndexKey(identity, last), reverse: true, limit: 1 }).all());
    return key === undefined ? 0 : seqOfObjectIndexKey(key);
  }

  /** The last seq whose time is at or before `time` (RFC 3339, millisecond resolution); 0 if none. */
  async seqAt(time: string): Promise<number> {
    const { time: index } = this.#requireOpen('seqAt');
    const epochMs = parseRfc3339(time);
    if (epochMs === undefined) throw new MeshfoldError('INPUT_MALFORMED', `seqAt: ${time} is not an RFC 3339 time`);
    if (epochMs < 0) return 0;
    const [key] = await withStoreErrors(`${this.#name}: seqAt`, () =>
      index.keys({ lte: timeKey(epochMs, MAX_SEQ), reverse: true, limit: 1 }).all());
    // An index entry can be visible a moment before its append resolves; never answer past
    // lastSeq. Times never decrease with seq, so the smaller answer is still at or before `time`.
    return key === undefined ? 0 : Math.min(readUint64(key, TIME_KEY_SEQ_OFFSET), this.#lastSeq);
  }

  /**
   * Replays from `from`, then follows appends: every seq exactly once, in order, even when
   * appends race the catch-up read. Completes when the log closes.
   */
  tail(from = 1): Observable<LoggedEvent> {
    return defer(() => {
      this.#requireOpen('tail');
      const start = Math.max(1, from);
      // Live appends are subscribed before the catch-up read decides where to stop, so each
      // seq reaches the merge at least once; inSeqOrder drops the second copy.
      return merge(this.#appended, this.#catchUp(start)).pipe(inSeqOrder(start));
    });
  }

  /** Stores the projection state after `seq`. Rejected unless 1 ≤ seq ≤ lastSeq. */
  async putSnapshot(seq: number, snapshot: SnapshotInput): Promise<void> {
    this.#requireWritable('putSnapshot');
    return this.#writes.run(() => this.#writeSnapshot(seq, snapshot));
  }

  /**
   * The newest usable snapshot at or before `seq` made by `projectorVersion`. Snapshots of
   * another version, or that do not decode, are skipped and reported through `onReport`.
   */
  async snapshotAtOrBefore(seq: number, projectorVersion: string): Promise<Snapshot | undefined> {
    this.#requireOpen('snapshotAtOrBefore');
    for await (const snapshot of this.snapshotsAtOrBefore(seq, projectorVersion)) return snapshot;
    return undefined;
  }

  async *snapshotsAtOrBefore(seq: number, projectorVersion: string): AsyncGenerator<Snapshot> {
    const { snapshots } = this.#requireOpen('snapshotsAtOrBefore');
    const last = Math.floor(Math.min(seq, this.#lastSeq));
    if (!(last >= 1)) return;
    const where = `${this.#name}: snapshotsAtOrBefore`;
    // An option of classic-level's; other backends ignore it.
    const options = { lte: seqKey(last), reverse: true, highWaterMarkBytes: SNAPSHOT_READ_AHEAD_BYTES };
    const iterator = snapshots.iterator(options);
    try {
      for (;;) {
        const entry = await withStoreErrors(where, () => iterator.next());
        if (entry === undefined) return;
        const found = this.#usableSnapshot(seqOfKey(entry[0]), entry[1], projectorVersion);
        if (found) yield found;
      }
    } finally {
      await iterator.close();
    }
  }

  /** Every snapshot that decodes, oldest first, without its state; the others are reported. */
  async listSnapshots(): Promise<SnapshotInfo[]> {
    const { snapshots } = this.#requireOpen('listSnapshots');
    return withStoreErrors(`${this.#name}: listSnapshots`, async () => {
      const infos: SnapshotInfo[] = [];
      for await (const [key, value] of snapshots.iterator()) {
        const stored = this.#decodeSnapshotOrReport(seqOfKey(key), value);
        if (stored) infos.push({ seq: stored.seq, projectorVersion: stored.projectorVersion, hash: stored.hash, checksummed: isChecksummed(value) });
      }
      return infos;
    });
  }

  /**
   * Extends the derived index `name` to cover 1..`through`, in one batch with its new end, queued
   * behind the appends before it (so `through` is checked against the seqs they committed).
   */
  async putIndexBlocks(name: string, from: number, through: number, blocks: readonly IndexBlock[]): Promise<void> {
    this.#requireWritable('putIndexBlocks');
    const where = `${this.#name}: index ${name}`;
    checkIndexPart('name', name, where);
    return this.#writes.run(async () => {
      const { indexes, meta } = this.#requireOpen('putIndexBlocks');
      const reject = (why: string) => new MeshfoldError('STORE_INDEX_REJECTED', `${where}: blocks from seq ${from}: ${why}`);
      const current = await this.indexedThrough(name);
      if (from !== current + 1) throw reject(`the index runs through seq ${current}, so the next blocks start at seq ${current + 1}`);
      if (!Number.isSafeInteger(through) || through < current || through > this.#lastSeq) {
        throw reject(`through ${through} is not within ${current}..${this.#lastSeq} (the log's last seq)`);
      }
      const operations: BatchOperation[] = blocks.map((block) => {
        checkIndexPart('group', block.group, where);
        if (!Number.isSafeInteger(block.seq) || block.seq < 1 || block.seq > through) throw reject(`a block at seq ${block.seq} is outside 1..${through}`);
        if (!(block.value instanceof Uint8Array)) throw reject(`the block of ${block.group} at seq ${block.seq} is not bytes`);
        return { type: 'put', sublevel: indexes, key: indexBlockKey(name, block.group, block.seq), value: block.value };
      });
      const end = new Uint8Array(8);
      writeUint64(end, 0, through);
      operations.push({ type: 'put', sublevel: meta, key: indexThroughKey(name), value: end });
      this.#lockWatch?.check(`${where}: put`);
      await withStoreErrors(`${where}: put`, () => writeBatch(this.#db, operations, this.#writeOptions()));
    });
  }

  /** The last seq the derived index `name` covers, 0 when there is none. */
  async indexedThrough(name: string): Promise<number> {
    const { meta } = this.#requireOpen('indexedThrough');
    const value = await withStoreErrors(`${this.#name}: index ${name}`, () => meta.get(indexThroughKey(name)));
    return value?.length === 8 ? Math.min(readUint64(value, 0), this.#lastSeq) : 0;
  }

  /** The blocks of `group` in the derived index `name` within `from..to`, in seq order. */
  dropIndex(name: string): Promise<void> {
    this.#requireWritable('dropIndex');
    const where = `${this.#name}: index ${name}`;
    checkIndexPart('name', name, where);
    return this.#writes.run(async () => {
      const { indexes, meta } = this.#requireOpen('dropIndex');
      const { gte, lt } = indexKeyRange(name);
      const keys = await withStoreErrors(where, () => indexes.keys({ gte, lt }).all());
      const operations: BatchOperation[] = keys.map((key) => ({ type: 'del', sublevel: indexes, key }));
      operations.push({ type: 'del', sublevel: meta, key: indexThroughKey(name) });
      this.#lockWatch?.check(`${where}: drop`);
      await withStoreErrors(`${where}: drop`, () => writeBatch(this.#db, operations, this.#writeOptions()));
    });
  }

  async indexBlocks(name: string, group: string, { from = 1, to = MAX_SEQ }: ReadRange = {}): Promise<IndexBlock[]> {
    const { indexes } = this.#requireOpen('indexBlocks');
    const where = `${this.#name}: index ${name}`;
    checkIndexPart('name', name, where);
    checkIndexPart('group', group, where);
    if (from > to) return [];
    const entries = await withStoreErrors(where, () =>
      indexes.iterator({ gte: indexBlockKey(name, group, Math.max(0, from)), lte: indexBlockKey(name, group, to) }).all());
    return entries.map(([key, value]) => ({ group, seq: seqOfIndexBlockKey(key), value }));
  }

  async indexGroups(name: string): Promise<string[]> {
    const { indexes } = this.#requireOpen('indexGroups');
    const where = `${this.#name}: index ${name}`;
    checkIndexPart('name', name, where);
    return groupsOfIndexBlockKeys(name, await withStoreErrors(where, () => indexes.keys(indexKeyRange(name)).all()));
  }

  #requireWritable(operation: string): void {
    this.#requireOpen(operation);
    if (this.#options.readOnly) throw new MeshfoldError('STORE_READ_ONLY', `${this.#name}: ${operation}: log is open read-only`);
  }

  #requireOpen(operation: string): Keyspaces {
    if (this.#status !== 'open' || !this.#keyspaces) {
      throw new MeshfoldError('STORE_NOT_OPEN', `${this.#name}: ${operation}: log is ${this.#status}`);
    }
    return this.#keyspaces;
  }

  async #openKeyspaces(): Promise<Keyspaces> {
    const where = `${this.#name}: open`;
    const createIfMissing = this.#options.createIfMissing ?? !this.#options.readOnly;
    try {
      await this.#db.open({ createIfMissing });
    } catch (err) {
      throw storeOpenError(err, where);
    }
    try {
      const opened = keyspaces(this.#db);
      const readOnly = Boolean(this.#options.readOnly);
      const dir = this.#dir;
      const ackedSeq = dir === undefined ? undefined : readAckedSeq(dir, this.#name);
      const acked = ackedSeq === undefined ? undefined : { seq: ackedSeq, path: join(dir!, ACKED_MARKER_FILE) };
      ({ lastSeq: this.#lastSeq, lastEpochMs: this.#lastEpochMs } = await recoverMeta(opened, this.#name, { readOnly, acked }));
      this.#checked = decodeChecked(await opened.meta.get(CHECKED_KEY));
      if (dir !== undefined && !readOnly) {
        this.#lockWatch = LockWatch.start(dir, where);
        this.#ackedMarker = await withStoreErrors(`${where}: ${ACKED_MARKER_FILE}`, () =>
          AckedSeqMarker.open(dir, this.#lastSeq, Boolean(this.#options.sync)));
      }
      return opened;
    } catch (err) {
      // A log we refuse to use must not keep holding its lock.
      await this.#db.close();
      throw storeError(err, where);
    }
  }

  async #write(inputs: readonly AppendEvent[], { checkedBy }: AppendOptions): Promise<number[]> {
    const plan = planAppend(inputs, this.#lastSeq + 1, this.#lastEpochMs, (this.#options.now ?? Date.now)());
    if (plan.events.length === 0) return [];
    const operations = appendOperations(this.#keyspaces!, plan, this.#lastSeq + plan.events.length);
    const checked = checkedBy === undefined
      ? this.#checked
      : extendChecked(this.#checked, this.#lastSeq + 1, this.#lastSeq + plan.events.length, checkedBy);
    if (checked !== this.#checked) operations.push({ type: 'put', sublevel: this.#keyspaces!.meta, key: CHECKED_KEY, value: encodeChecked(checked) });
    this.#lockWatch?.check(`${this.#name}: append`);
    await withStoreErrors(`${this.#name}: append`, () => writeBatch(this.#db, operations, this.#writeOptions()));
    this.#lastSeq += plan.events.length;
    this.#lastEpochMs = plan.lastEpochMs;
    this.#checked = checked;
    this.#publish(plan);
    // Only once the batch has resolved, so a crash can leave the marker behind the log, never ahead.
    await withStoreErrors(`${this.#name}: append: events seq ${plan.events[0]!.seq}..${this.#lastSeq} are appended, but ${ACKED_MARKER_FILE}`,
      () => this.#ackedMarker?.write(this.#lastSeq));
    return plan.events.map((event) => event.seq);
  }

  /** Tails get what a reader of the log would get, not the caller's (still mutable) objects. */
  #publish(plan: AppendPlan): void {
    if (!this.#appended.observed) return;
    plan.events.forEach(({ seq }, i) => this.#appended.next(decodeEvent(plan.values[i]!, seq)));
  }

  #catchUp(from: number): Observable<LoggedEvent> {
    return observableFrom(this.read({ from })).pipe(
      // A close cuts the catch-up read short; the tail then ends like the live stream does.
      catchError((err: unknown) => (this.#closedUnder(err) ? EMPTY : throwError(() => err))),
    );
  }

  #closedUnder(err: unknown): boolean {
    return this.#status !== 'open' && isMeshfoldError(err, 'STORE_NOT_OPEN');
  }

  async #writeSnapshot(seq: number, snapshot: SnapshotInput): Promise<void> {
    const { snapshots } = this.#requireOpen('putSnapshot');
    const reject = (why: string) =>
      new MeshfoldError('STORE_SNAPSHOT_REJECTED', `${this.#name}: snapshot at seq ${seq}: ${why}`, { seq });
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.#lastSeq) throw reject(`the log holds seqs 1..${this.#lastSeq}`);
    if (typeof snapshot?.projectorVersion !== 'string' || typeof snapshot.hash !== 'string') {
      throw reject('projectorVersion and hash must be strings');
    }
    let value: Uint8Array;
    try {
      value = encodeSnapshot(seq, snapshot);
    } catch (err) {
      throw reject(`state cannot be encoded (${(err as Error).message})`);
    }
    this.#lockWatch?.check(`${this.#name}: putSnapshot`);
    await withStoreErrors(`${this.#name}: putSnapshot`, () => snapshots.put(seqKey(seq), value, this.#writeOptions()));
  }

  #usableSnapshot(seq: number, value: Uint8Array, projectorVersion: string): Snapshot | undefined {
    const stored = this.#decodeSnapshotOrReport(seq, value);
    if (!stored) return undefined;
    if (stored.projectorVersion !== projectorVersion) {
      this.#report({
        code: 'STORE_SNAPSHOT_REJECTED',
        message: `${this.#name}: snapshot at seq ${seq} is of projector version ${stored.projectorVersion}, not ${projectorVersion}; ignored`,
        seq,
      });
      return undefined;
    }
    return { seq, hash: stored.hash, state: stored.state };
  }

  /** A snapshot is only a cache, so one that does not decode is reported and passed over. */
  #decodeSnapshotOrReport(seq: number, value: Uint8Array): StoredSnapshot | undefined {
    try {
      return decodeSnapshot(value, seq);
    } catch (err) {
      if (!isMeshfoldError(err)) throw err;
      this.#report({ code: err.code, message: `${this.#name}: ${err.message}; ignored`, seq });
      return undefined;
    }
  }

  #report(report: StoreReport): void {
    this.#options.onReport?.(report);
  }

  /** `sync` is a classic-level option; other backends ignore options they do not know. */
  /**
   * No `sync` property unless syncing: abstract-level copies batch options into every operation,
   * and with `sync: false` there classic-level's batch took three times as long (measured: 8.5
   * vs 3.0 µs per event for the same 1000-event batches).
   */
  #writeOptions(): object {
    return this.#options.sync ? { sync: true } : {};
  }
}

function checkSeqArgument(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer seq, got ${String(value)}`);
}
