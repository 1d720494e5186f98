import type { LoggedEvent } from '@meshfold/core';
import type { Observable } from 'rxjs';
import type { CheckedRange } from './CheckedRanges.js';
import { JetStreamEventLog, type JetStreamEventLogOptions } from './JetStreamEventLog.js';
import { LevelEventLog, type LevelEventLogOptions } from './LevelEventLog.js';
import { isNatsLocation, parseNatsLocation } from './natsLocation.js';
import type { AppendEvent } from './planAppend.js';
import type { IndexBlock } from './IndexBlock.js';
import type { EncodedBatch } from './readEventBatches.js';
import type { Snapshot, SnapshotInfo, SnapshotInput } from './Snapshot.js';
import type { StoreReport } from './StoreReport.js';

/** Where a log is in its life: `status` of an `EventLog`. */
export type LogStatus = 'opening' | 'open' | 'closing' | 'closed';

/** Options of one `append`. */
export interface AppendOptions {
  /**
   * The projector version that already validated every one of these events (as ProjectedLog
   * does): a replay by that version may skip validating them again. Leave it out unless true.
   */
  checkedBy?: string;
}

/** Inclusive seq range; `to` is capped at the last seq committed when reading starts. */
export interface ReadRange {
  from?: number;
  to?: number;
}

/** Options every backend takes. */
export interface EventLogOptions {
  /** Receives what the log skips without failing (see {@link StoreReport}). Default: ignore. */
  onReport?: (report: StoreReport) => void;
  /** Clock for events appended without a time, in epoch ms. Default: `Date.now`. */
  now?: () => number;
  /** Events per read batch. Default: 1000. */
  readBatchSize?: number;
  /** Names the log in error messages. */
  name?: string;
  /**
   * Open for reading only: appends and snapshots fail with `STORE_READ_ONLY`, nothing is
   * created or stamped, and a log that does not exist is `STORE_NOT_FOUND`. Default: false.
   */
  readOnly?: boolean;
}

/** What a backend can and cannot promise, for callers that must choose (the CLI, the inspector). */
export interface LogCapabilities {
  /** `leveldb` (a directory), `memory` (this process only) or `jetstream` (a NATS stream). */
  readonly backend: 'leveldb' | 'memory' | 'jetstream';
  /** Appends survive the process (not necessarily a power loss: see each backend). */
  readonly durable: boolean;
  /**
   * Other processes can read while one writes, and `tail()` follows their appends. False for
   * LevelDB, which one process owns (a second opener gets `STORE_LOG_IN_USE`).
   */
  readonly sharedReaders: boolean;
  /**
   * The log keeps derived indexes ({@link EventLog.putIndexBlocks}). False for JetStream, whose
   * readers then work from the events alone (`history` the slower way).
   */
  readonly derivedIndexes: boolean;
  /**
   * Reads are served from this process's own storage, so `getMany` of thousands of seqs is one
   * cheap call. False for JetStream, where each seq is a request the server answers.
   */
  readonly localReads: boolean;
}

/**
 * The event log as the engine uses it: watch events numbered 1, 2, 3 … without gaps, appended
 * in atomic batches by one writer at a time, with snapshots of the projection, the seqs of each
 * object, time lookup, and a live tail. `loadState`, `stateAt`, `ProjectedLog` and every
 * command take this interface; `EventLog.openDir`, `EventLog.openMemory` and `EventLog.open`
 * (a directory or a `nats://` URL) make one.
 */
export interface EventLog {
  readonly status: LogStatus;
  readonly capabilities: LogCapabilities;
  /**
   * The last committed seq this log knows of, 0 for an empty log. On a shared log another
   * process may have committed more since: {@link refresh} asks.
   */
  readonly lastSeq: number;
  /** The seq ranges appended with `checkedBy`, oldest first. */
  readonly checkedRanges: readonly CheckedRange[];
  /** Opens (or reopens) the log. Idempotent. */
  open(): Promise<void>;
  /** Lets queued writes finish, completes every tail, then closes. Idempotent. */
  close(): Promise<void>;
  /** Learns the last seq committed by any writer, and resolves with it. */
  refresh(): Promise<number>;
  /**
   * Appends events as one atomic batch and resolves with their seqs once written. Appends queue
   * behind each other, so concurrent callers get disjoint, increasing seqs.
   */
  append(events: readonly AppendEvent[], options?: AppendOptions): Promise<number[]>;
  /** Events `from..to` in order. Throws on a gap or a value that does not decode, after the sound events before it. */
  read(range?: ReadRange): AsyncGenerator<LoggedEvent>;
  /** Like `read`, in arrays of up to `readBatchSize` events: the fast path for replay. */
  readBatches(range?: ReadRange): AsyncGenerator<LoggedEvent[]>;
  /** Like `readBatches`, with the bytes each event is stored as (decoded by the store's codec). */
  readEncodedBatches(range?: ReadRange): AsyncGenerator<EncodedBatch>;
  /** The event at `seq`, or undefined outside 1..lastSeq. */
  get(seq: number): Promise<LoggedEvent | undefined>;
  /** The events at `seqs` (each within 1..lastSeq: a RangeError otherwise), in the order asked. */
  getMany(seqs: readonly number[]): Promise<LoggedEvent[]>;
  /** The seqs of the events about one object (`Kind/namespace/name`) within `from..to`, in order. */
  seqsOf(identity: string, range?: ReadRange): Promise<number[]>;
  /** The seq of the last event about one object (within `from..to`), 0 if none. */
  lastSeqOf(identity: string, range?: ReadRange): Promise<number>;
  /** Every object with an event whose identity starts with `prefix`, sorted, deleted ones too. */
  identities(prefix: string): Promise<string[]>;
  /** The last seq whose time is at or before `time` (RFC 3339, ms resolution); 0 if none. */
  seqAt(time: string): Promise<number>;
  /** Replays from `from`, then follows appends: every seq once, in order. Completes when the log closes. */
  tail(from?: number): Observable<LoggedEvent>;
  /** Stores the projection state after `seq` (1 ≤ seq ≤ lastSeq), else `STORE_SNAPSHOT_REJECTED`. */
  putSnapshot(seq: number, snapshot: SnapshotInput): Promise<void>;
  /** The newest usable snapshot at or before `seq` of `projectorVersion`; the others are reported. */
  snapshotAtOrBefore(seq: number, projectorVersion: string): Promise<Snapshot | undefined>;
  /**
   * The usable snapshots at or before `seq` of `projectorVersion`, newest first, read as they are
   * taken (stop early to read no more); the others are reported. How a delta and the snapshots it
   * follows on from are read in one pass.
   */
  snapshotsAtOrBefore(seq: number, projectorVersion: string): AsyncGenerator<Snapshot>;
  /** Every snapshot that decodes, oldest first, without its state; the others are reported. */
  listSnapshots(): Promise<SnapshotInfo[]>;
  /**
   * Extends the derived index `name` (e.g. `links/3/<projector version>`), which then covers seqs
   * 1..`through`: `from` must be where it ends plus one, `through` at most the last seq, every
   * block's seq within `1..through`; a block at a (group, seq) already written replaces it (a
   * writer growing its last block). Written in one batch with the new end, behind the appends
   * queued before it. Otherwise, or on a log without `derivedIndexes`, `STORE_INDEX_REJECTED`.
   */
  putIndexBlocks(name: string, from: number, through: number, blocks: readonly IndexBlock[]): Promise<void>;
  /** The last seq the derived index `name` covers, 0 when there is none. */
  indexedThrough(name: string): Promise<number>;
  /** The blocks of one group of the derived index `name` whose seq is within `from..to`, in seq order. */
  indexBlocks(name: string, group: string, range?: ReadRange): Promise<IndexBlock[]>;
  /** The groups of the derived index `name` that hold a block, each once, in key order ([] for none). */
  indexGroups(name: string): Promise<string[]>;
  /**
   * Removes the derived index `name`, every block and its end, in one batch: the log then holds
   * none, as before it was built, and the next blocks start at seq 1. For an index found wrong
   * (`verify`); the events are untouched. A log without `derivedIndexes` has none to remove.
   */
  dropIndex(name: string): Promise<void>;
}

/** Opens an existing log or creates one, by where it lives. */
export const EventLog = {
  /**
   * Opens (creating unless told not to) the LevelDB log in directory `dir`. Without
   * `createIfMissing`, a directory that holds no LevelDB database is `STORE_NOT_FOUND` and is left untouched.
   */
  openDir(dir: string, options: LevelEventLogOptions = {}): Promise<EventLog> {
    return LevelEventLog.openDir(dir, options);
  },
  /** A log that lives as long as the process: for tests and embedding without durability. */
  openMemory(options: EventLogOptions = {}): Promise<EventLog> {
    return LevelEventLog.openMemory(options);
  },
  /**
   * The log on a NATS JetStream stream, `nats://host:port[,host:port…]/STREAM` (created unless
   * `readOnly`). Credentials come from the environment (`NATS_CREDS`, `NATS_USER`/`NATS_PASSWORD`,
   * `NATS_TOKEN`) or `options.connection`, never from the URL.
   */
  openNats(url: string, options: JetStreamEventLogOptions = {}): Promise<EventLog> {
    return JetStreamEventLog.open(parseNatsLocation(url), options);
  },
  /** `openNats` for a `nats://` location, else `openDir`: what a `--log` option names. */
  open(location: string, options: LevelEventLogOptions & JetStreamEventLogOptions = {}): Promise<EventLog> {
    return isNatsLocation(location) ? EventLog.openNats(location, options) : EventLog.openDir(location, options);
  },
};
