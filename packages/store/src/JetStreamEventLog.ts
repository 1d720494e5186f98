import { isMeshfoldError, MeshfoldError, parseRfc3339, type LoggedEvent } from '@meshfold/core';
import {
  connect, credsAuthenticator, DeliverPolicy, DiscardPolicy, headers, RetentionPolicy, StorageType,
  type ConnectionOptions, type JetStreamClient, type JetStreamManager, type KV, type MsgHdrs, type NatsConnection, type ObjectStore, type StoredMsg,
} from 'nats';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The client's manager has a direct-get API (answered by any replica) that its exported interface leaves out. */
interface DirectStreamAPI {
  getMessage(stream: string, query: { seq: number } | { last_by_subj: string }): Promise<StoredMsg>;
}
import { Observable, defer } from 'rxjs';
import { decodeChecked, encodeChecked, extendChecked, type CheckedRange } from './CheckedRanges.js';
import { decodeEvent } from './eventCodec.js';
import type { AppendOptions, EventLog, EventLogOptions, LogCapabilities, LogStatus, ReadRange } from './EventLog.js';
import type { IndexBlock } from './IndexBlock.js';
import { missingEvents } from './missingEvents.js';
import type { NatsLocation } from './natsLocation.js';
import { identityOfObject } from './objectKey.js';
import { planAppend, type AppendEvent } from './planAppend.js';
import type { EncodedBatch } from './readEventBatches.js';
import { SerialQueue } from './SerialQueue.js';
import type { Snapshot, SnapshotInfo, SnapshotInput, StoredSnapshot } from './Snapshot.js';
import { decodeSnapshot, encodeSnapshot } from './snapshotCodec.js';
import type { StoreReport } from './StoreReport.js';
import { isChecksummed } from './valueCodec.js';

/** Options of a JetStream log. */
export interface JetStreamEventLogOptions extends EventLogOptions {
  /**
   * Replicas of a stream this log creates (1, or 3 on a three-node cluster). Default: 1. Its
   * snapshot and meta buckets get the stream's replicas, also when another process created it.
   */
  replicas?: number;
  /** Connection options passed to the NATS client (credentials, TLS); `servers` comes from the location. */
  connection?: Partial<ConnectionOptions>;
  /**
   * How old an unfinished batch at the end of the stream must be before a new writer takes it
   * for a dead writer's and voids it (a live writer finishes its batch within this). Default: 10 s.
   */
  abandonedBatchMs?: number;
  /**
   * How long an append keeps retrying while the cluster cannot take it (a crashed stream leader:
   * nats-server 2.9 elects the next one 4 to 9 s later), and an open waits for a cluster with no
   * meta leader yet (just started) to elect one. Default: 30 s.
   */
  failoverMs?: number;
}

/**
 * Ranges of at most this many events are read with direct gets, a window of them in flight:
 * a consumer costs the server tens of milliseconds to create however few messages it then
 * delivers, while a direct get is one request answered by any replica (README, "Sizing").
 * Loading a state from a snapshot reads at most a spacing's worth of events.
 */
const DIRECT_READ_EVENTS = 2000;
/** Direct gets in flight at once, for a short range read and for `getMany`. */
const DIRECT_GETS_IN_FLIGHT = 64;

const HEADER_SEQ = 'Meshfold-Seq';
/** `first-last`: the seqs of the batch the message belongs to; a batch is visible once its last message is. */
const HEADER_BATCH = 'Meshfold-Batch';

/** Credentials from the environment, as the NATS tools read them; never from the command line. */
export function natsAuthOptions(env: NodeJS.ProcessEnv = process.env): Partial<ConnectionOptions> {
  if (env.NATS_CREDS) return { authenticator: credsAuthenticator(readFileSync(env.NATS_CREDS)) };
  if (env.NATS_USER) return { user: env.NATS_USER, pass: env.NATS_PASSWORD ?? '' };
  if (env.NATS_TOKEN) return { token: env.NATS_TOKEN };
  return {};
}

/** A stream sequence range a new writer voided: an unfinished batch of a writer that died, and the marker itself. */
type Void = readonly [from: number, to: number];

/**
 * The event log on a NATS JetStream stream. One message per event, on a subject per object
 * (`meshfold.STREAM.ev.<base64url identity>`), whose body is the same checksummed value a
 * LevelDB log stores (so a bad byte is `STORE_CORRUPT_VALUE` naming the seq, and a body whose
 * seq is not the one expected is caught). A batch is made atomic by its readers: every message
 * carries `Meshfold-Batch: first-last`, and a batch is visible only once its last message is
 * stored. One writer at a time: each publish expects the stream's last sequence
 * (`Nats-Expected-Last-Sequence`), so a second writer fails with `STORE_LOG_IN_USE` instead of
 * interleaving. Snapshots are objects of a JetStream object store; checked ranges a key of a KV bucket.
 */
export class JetStreamEventLog implements EventLog {
  static async open(location: NatsLocation, options: JetStreamEventLogOptions = {}): Promise<JetStreamEventLog> {
    const log = new JetStreamEventLog(location, options);
    await log.open();
    return log;
  }

  readonly #location: NatsLocation;
  readonly #options: JetStreamEventLogOptions;
  readonly #name: string;
  readonly #subjects: { all: string; events: string; void: string };
  readonly #writes = new SerialQueue();
  readonly #lifecycle = new SerialQueue();
  #status: LogStatus = 'closed';
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  /** The manager with its direct-get API (answered by any replica), which the client's interface leaves out. */
  #jsm: (JetStreamManager & { direct: DirectStreamAPI }) | undefined;
  #snapshots: ObjectStore | undefined;
  #meta: KV | undefined;
  #lastSeq = 0;
  /** The stream's replica count, also its buckets'. */
  #replicas = 1;
  /** The stream's last sequence as this writer left it: what the next publish expects. */
  #streamLast = 0;
  #lastEpochMs = 0;
  #voids: Void[] = [];
  #checked: readonly CheckedRange[] = [];
  /** The checked ranges changed since the write in flight took them. */
  #checkedDirty = false;
  #checkedSaving: Promise<void> | undefined;
  /** A publish failed half-way: the stream's end is unknown to this writer, so it writes no more. */
  #broken: MeshfoldError | undefined;
  readonly #writerId = randomUUID();
  /** Each live tail: told the last seq to deliver when the log closes; resolves once it has stopped. */
  readonly #closers = new Set<(finalSeq: number) => Promise<void>>();

  constructor(location: NatsLocation, options: JetStreamEventLogOptions = {}) {
    this.#location = location;
    this.#options = options;
    this.#name = options.name ?? `log nats://${location.servers.map((s) => s.replace(/^nats:\/\//, '')).join(',')}/${location.stream}`;
    const root = `meshfold.${location.stream}`;
    this.#subjects = { all: `${root}.>`, events: `${root}.ev.>`, void: `${root}.void` };
  }

  get status(): LogStatus {
    return this.#status;
  }

  get capabilities(): LogCapabilities {
    return { backend: 'jetstream', durable: true, sharedReaders: true, derivedIndexes: false, localReads: false };
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get checkedRanges(): readonly CheckedRange[] {
    return this.#checked;
  }

  open(): Promise<void> {
    return this.#lifecycle.run(async () => {
      if (this.#status === 'open') return;
      this.#status = 'opening';
      try {
        await this.#connect();
        this.#status = 'open';
      } catch (err) {
        // Bounded: a connection that fails to close must not hold the open's failure back.
        await Promise.race([this.#nc?.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        this.#nc = undefined;
        this.#status = 'closed';
        throw err;
      }
    });
  }

  close(): Promise<void> {
    if (this.#status === 'open') this.#status = 'closing';
    return this.#lifecycle.run(async () => {
      if (this.#status === 'closed') return;
      this.#status = 'closing';
      await this.#writes.idle();
      await this.#checkedSaving;
      const final = this.#lastSeq;
      await Promise.race([Promise.all([...this.#closers].map((close) => close(final))), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      try {
        await this.#nc?.drain();
      } catch {
        // Already closed by the server going away: nothing left to flush.
      } finally {
        this.#nc = undefined;
        this.#status = 'closed';
      }
    });
  }

  async refresh(): Promise<number> {
    this.#requireOpen('refresh');
    const { lastSeq } = await this.#committedEnd();
    this.#lastSeq = Math.max(this.#lastSeq, lastSeq);
    return this.#lastSeq;
  }

  async append(events: readonly AppendEvent[], options: AppendOptions = {}): Promise<number[]> {
    this.#requireWritable('append');
    return this.#writes.run(() => this.#write(events, options));
  }

  async *read(range: ReadRange = {}): AsyncGenerator<LoggedEvent> {
    for await (const batch of this.readBatches(range)) yield* batch;
  }

  async *readBatches(range: ReadRange = {}): AsyncGenerator<LoggedEvent[]> {
    for await (const { events } of this.readEncodedBatches(range)) yield events;
  }

  async *readEncodedBatches({ from = 1, to = Number.MAX_SAFE_INTEGER }: ReadRange = {}): AsyncGenerator<EncodedBatch> {
    this.#requireOpen('read');
    checkSeqArgument('from', from);
    checkSeqArgument('to', to);
    const first = Math.max(1, from);
    const last = Math.min(to, this.#lastSeq);
    if (first > last) return;
    const size = this.#options.readBatchSize ?? 1000;
    let events: LoggedEvent[] = [];
    let values: Uint8Array[] = [];
    const stored = this.#stored(first, last, `${this.#name}: read`);
    try {
      for (;;) {
        let next: IteratorResult<{ seq: number; value: Uint8Array }>;
        let event: LoggedEvent | undefined;
        try {
          next = await stored.next();
          if (!next.done) event = decodeEvent(next.value.value, next.value.seq);
        } catch (err) {
          // The sound events before a bad or missing one are handed over first, as on LevelDB.
          if (events.length > 0) yield { events, values };
          throw err;
        }
        if (next.done) break;
        events.push(event!);
        values.push(next.value.value);
        if (events.length === size) {
          yield { events, values };
          events = [];
          values = [];
        }
      }
      if (events.length > 0) yield { events, values };
    } finally {
      await stored.return(undefined); // a reader that stops early stops the consumer too
    }
  }

  async get(seq: number): Promise<LoggedEvent | undefined> {
    this.#requireOpen('get');
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.#lastSeq) return undefined;
    return decodeEvent(await this.#valueAt(seq, `${this.#name}: get`), seq);
  }

  async getMany(seqs: readonly number[]): Promise<LoggedEvent[]> {
    this.#requireOpen('get');
    for (const seq of seqs) {
      checkSeqArgument('seq', seq);
      if (seq < 1 || seq > this.#lastSeq) throw new RangeError(`seq ${seq} is outside the log's 1..${this.#lastSeq}`);
    }
    // Direct gets answered by any replica, a few in flight at once.
    const out: LoggedEvent[] = new Array(seqs.length);
    for (let i = 0; i < seqs.length; i += DIRECT_GETS_IN_FLIGHT) {
      const chunk = seqs.slice(i, i + DIRECT_GETS_IN_FLIGHT);
      const values = await Promise.all(chunk.map((seq) => this.#valueAt(seq, `${this.#name}: get`)));
      values.forEach((value, j) => { out[i + j] = decodeEvent(value, chunk[j]!); });
    }
    return out;
  }

  async seqsOf(identity: string, { from = 1, to = Number.MAX_SAFE_INTEGER }: ReadRange = {}): Promise<number[]> {
    this.#requireOpen('seqsOf');
    const last = Math.min(to, this.#lastSeq);
    if (Math.max(1, from) > last) return [];
    const subject = this.#objectSubject(identity);
    const lastStored = await this.#lastStreamSeqOf(subject);
    if (lastStored === undefined) return [];
    const found: number[] = [];
    // A consumer filtered on the object's subject, headers only: the server reads no other event.
    for await (const { seq } of this.#consume(subject, this.#streamSeqOf(Math.max(1, from)), lastStored, true)) {
      if (seq > last) break;
      if (seq >= from) found.push(seq);
    }
    return found;
  }

  /** One direct get of the object subject's last message; a scan of its subject only if that one is not committed yet. */
  async lastSeqOf(identity: string, range: ReadRange = {}): Promise<number> {
    this.#requireOpen('lastSeqOf');
    // Within a range, from the object's seqs: last-by-subject only knows the newest message.
    if (range.from !== undefined || range.to !== undefined) return (await this.seqsOf(identity, range)).at(-1) ?? 0;
    const stored = await this.#lastStreamSeqOf(this.#objectSubject(identity));
    if (stored === undefined) return 0;
    const seq = this.#meshSeqOf(stored);
    if (seq !== undefined && seq <= this.#lastSeq) return seq;
    return (await this.seqsOf(identity)).at(-1) ?? 0;
  }

  async identities(prefix: string): Promise<string[]> {
    this.#requireOpen('identities');
    const info = await this.#io('identities', () => this.#jsm!.streams.info(this.#location.stream, { subjects_filter: this.#subjects.events }));
    let found = Object.keys(info.state.subjects ?? {})
      .map((subject) => decodeIdentity(subject.slice(this.#subjects.events.length - 1)))
      .filter((identity): identity is string => identity !== undefined && identity.startsWith(prefix));
    // A subject counts every message stored on it, also those of a voided batch or of one not
    // finished yet: only then is each object checked for a committed event, one get each.
    const voidedEvents = this.#voids.some(([from, to]) => to > from);
    if (voidedEvents || info.state.last_seq > this.#streamSeqOf(this.#lastSeq)) {
      const committed = await Promise.all(found.map(async (identity) => (await this.lastSeqOf(identity)) > 0));
      found = found.filter((_, i) => committed[i]);
    }
    // Byte order, as LevelDB's index keys sort.
    return found.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /**
   * Event times are the recorder's, not the server's (a message's timestamp is when the stream
   * stored it, a batch later), so this is a binary search over direct gets: about log2(lastSeq)
   * single-message reads, never a scan.
   */
  async seqAt(time: string): Promise<number> {
    this.#requireOpen('seqAt');
    const epochMs = parseRfc3339(time);
    if (epochMs === undefined) throw new MeshfoldError('INPUT_MALFORMED', `seqAt: ${time} is not an RFC 3339 time`);
    let low = 0;
    let high = this.#lastSeq;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const event = await this.get(middle);
      if (parseRfc3339(event!.time)! <= epochMs) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  tail(from = 1): Observable<LoggedEvent> {
    return defer(() => {
      this.#requireOpen('tail');
      return new Observable<LoggedEvent>((subscriber) => {
        const control: TailControl = { unsubscribed: false };
        let done!: () => void;
        const finished = new Promise<void>((resolve) => { done = resolve; });
        // On close: deliver what was committed until then, then complete.
        const closer = (finalSeq: number) => {
          control.stopAt = finalSeq;
          control.wake?.();
          return finished;
        };
        this.#closers.add(closer);
        void (async () => {
          try {
            for await (const event of this.#follow(Math.max(1, from), control)) subscriber.next(event);
            subscriber.complete();
          } catch (err) {
            if (this.#status === 'open') subscriber.error(err);
            else subscriber.complete();
          } finally {
            this.#closers.delete(closer);
            done();
          }
        })();
        return () => {
          control.unsubscribed = true;
          control.wake?.();
        };
      });
    });
  }

  async putSnapshot(seq: number, snapshot: SnapshotInput): Promise<void> {
    this.#requireWritable('putSnapshot');
    const reject = (why: string) =>
      new MeshfoldError('STORE_SNAPSHOT_REJECTED', `${this.#name}: snapshot at seq ${seq}: ${why}`, { seq });
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.#lastSeq) throw reject(`the log holds seqs 1..${this.#lastSeq}`);
    if (typeof snapshot?.projectorVersion !== 'string' || typeof snapshot.hash !== 'string') throw reject('projectorVersion and hash must be strings');
    let value: Uint8Array;
    try {
      value = encodeSnapshot(seq, snapshot);
    } catch (err) {
      throw reject(`state cannot be encoded (${(err as Error).message})`);
    }
    const store = (await this.#snapshotStore(true))!;
    // Retried through a leader election: a snapshot written twice is the same object.
    await this.#writes.run(() => this.#io('putSnapshot', () => this.#retrying(() => store.putBlob({ name: snapshotName(seq) }, value))));
  }

  async snapshotAtOrBefore(seq: number, projectorVersion: string): Promise<Snapshot | undefined> {
    this.#requireOpen('snapshotAtOrBefore');
    const last = Math.floor(Math.min(seq, this.#lastSeq));
    if (!(last >= 1)) return undefined;
    const store = await this.#snapshotStore(false);
    if (!store) return undefined;
    // Asked for a snapshot's own seq (a delta's base, as loadState follows a chain): one read
    // instead of listing the store, whose list grows with every snapshot written. Whatever that
    // read found at `last` (nothing, or a snapshot it reported unusable), the list is not asked again for it.
    const exact = this.#usable(last, await this.#readSnapshot(store, last), projectorVersion);
    if (exact) return exact;
    for await (const found of this.#snapshotsBelow(store, last, projectorVersion)) return found;
    return undefined;
  }

  async *snapshotsAtOrBefore(seq: number, projectorVersion: string): AsyncGenerator<Snapshot> {
    this.#requireOpen('snapshotsAtOrBefore');
    const last = Math.floor(Math.min(seq, this.#lastSeq));
    if (!(last >= 1)) return;
    const store = await this.#snapshotStore(false);
    if (store) yield* this.#snapshotsBelow(store, last + 1, projectorVersion);
  }

  /** The usable snapshots before `end`, newest first: the store listed once, each read as it is taken. */
  async *#snapshotsBelow(store: ObjectStore, end: number, projectorVersion: string): AsyncGenerator<Snapshot> {
    const seqs = (await this.#io('snapshotAtOrBefore', () => store.list()))
      .map((info) => seqOfSnapshotName(info.name)).filter((s) => s !== undefined && s < end) as number[];
    for (const at of seqs.sort((a, b) => b - a)) {
      const found = this.#usable(at, await this.#readSnapshot(store, at), projectorVersion);
      if (found) yield found;
    }
  }

  async listSnapshots(): Promise<SnapshotInfo[]> {
    this.#requireOpen('listSnapshots');
    const store = await this.#snapshotStore(false);
    if (!store) return [];
    const seqs = (await this.#io('listSnapshots', () => store.list()))
      .map((info) => seqOfSnapshotName(info.name)).filter((s) => s !== undefined) as number[];
    const infos: SnapshotInfo[] = [];
    for (const seq of seqs.sort((a, b) => a - b)) {
      const value = await this.#io('listSnapshots', () => store.getBlob(snapshotName(seq)));
      const stored = value && this.#decodeSnapshotOrReport(seq, value);
      if (stored) infos.push({ seq, projectorVersion: stored.projectorVersion, hash: stored.hash, checksummed: isChecksummed(value) });
    }
    return infos;
  }

  /** A JetStream log keeps no derived index: its readers work from the events. */
  async putIndexBlocks(name: string, from: number): Promise<void> {
    this.#requireOpen('putIndexBlocks');
    throw new MeshfoldError('STORE_INDEX_REJECTED', `${this.#name}: index ${name}: blocks from seq ${from}: a JetStream log keeps no derived index`);
  }

  async indexedThrough(): Promise<number> {
    this.#requireOpen('indexedThrough');
    return 0;
  }

  async indexBlocks(): Promise<IndexBlock[]> {
    this.#requireOpen('indexBlocks');
    return [];
  }

  async indexGroups(): Promise<string[]> {
    this.#requireOpen('indexGroups');
    return [];
  }

  /** Nothing to remove: a JetStream log keeps no derived index. */
  async dropIndex(): Promise<void> {
    this.#requireWritable('dropIndex');
  }

  // --- opening

  async #connect(): Promise<void> {
    const where = `${this.#name}: open`;
    try {
      this.#nc = await connect({
        // Without it the client builds two stack traces per publish (a recorder's main cost in the
        // client); every error here becomes a coded one-line message, which never shows a stack.
        noAsyncTraces: true,
        ...natsAuthOptions(), ...this.#options.connection, servers: this.#location.servers, name: 'meshfold',
        // Bounded: a query against a server that is not there fails instead of waiting forever.
        maxReconnectAttempts: this.#options.connection?.maxReconnectAttempts ?? 10,
      });
    } catch (err) {
      throw new MeshfoldError('STORE_IO', `${where}: cannot connect to ${this.#location.servers.join(',')}: ${(err as Error).message}`);
    }
    this.#jsm = await this.#manager(where);
    this.#js = this.#nc.jetstream();
    this.#snapshots = undefined;
    this.#meta = undefined;
    this.#broken = undefined;
    const existing = await this.#jsm.streams.info(this.#location.stream).catch((err: unknown) => {
      if (/stream not found/i.test(String((err as Error).message))) return undefined;
      throw new MeshfoldError('STORE_IO', `${where}: ${(err as Error).message}`);
    });
    // Snapshots and checked ranges are replicated as the stream is, whoever created it: on an
    // R1 bucket, the crash of the one node holding it would stall every append of an R3 stream.
    this.#replicas = existing?.config.num_replicas ?? this.#options.replicas ?? 1;
    if (!existing) {
      if (this.#options.readOnly) throw new MeshfoldError('STORE_NOT_FOUND', `${where}: there is no stream ${this.#location.stream}`);
      await this.#io('open', () => this.#jsm!.streams.add({
        name: this.#location.stream, subjects: [this.#subjects.all], storage: StorageType.File,
        retention: RetentionPolicy.Limits, discard: DiscardPolicy.New, num_replicas: this.#options.replicas ?? 1,
        allow_direct: true, max_msgs: -1, max_bytes: -1, max_age: 0,
      }));
    }
    if (!this.#options.readOnly) {
      await this.#genesis();
      // Created now, while the cluster is presumably whole: a replicated bucket cannot be
      // created while one of its nodes is down, and a writer should not find that out mid-recording.
      await this.#snapshotStore(true);
      await this.#metaBucket(true);
    }
    const end = await this.#committedEnd();
    if (end.unfinished && !this.#options.readOnly) await this.#voidUnfinished(end.unfinished);
    else {
      this.#lastSeq = end.lastSeq;
      this.#streamLast = end.streamLast;
    }
    // Only a writer needs the time floor (times never go back); a reader need not decode anything to open.
    if (!this.#options.readOnly && this.#lastSeq > 0) this.#lastEpochMs = parseRfc3339((await this.#eventAt(this.#lastSeq, where)).time) ?? 0;
    const meta = await this.#metaBucket(false);
    const checked = meta && await this.#io('open', () => meta.get('checked'));
    this.#checked = decodeChecked(checked?.value);
  }

  /**
   * The JetStream manager, once the cluster has a meta leader: a cluster just started (or one
   * that lost its quorum) leaves JetStream's requests unanswered until it elects one, so they are
   * asked again until `failoverMs` has passed. A server without JetStream answers at once that
   * nothing listens (no responders), and that fails at once.
   */
  async #manager(where: string): Promise<JetStreamManager & { direct: DirectStreamAPI }> {
    const failoverMs = this.#options.failoverMs ?? 30_000;
    const deadline = Date.now() + failoverMs;
    for (let attempt = 0; ; attempt++) {
      const timeout = Math.max(1000, Math.min(5000, deadline - Date.now()));
      try {
        // The probe's timeout is the wait's; the manager kept has the client's default for every later request.
        await this.#nc!.jetstreamManager({ timeout });
        return await (this.#nc!.jetstreamManager({ checkAPI: false }) as Promise<JetStreamManager & { direct: DirectStreamAPI }>);
      } catch (err) {
        const message = String((err as Error).message);
        const leaderless = /timeout|temporarily unavailable/i.test(message);
        if (!leaderless) throw new MeshfoldError('STORE_IO', `${where}: JetStream is not enabled on the server (${message})`);
        if (Date.now() >= deadline) {
          throw new MeshfoldError('STORE_IO', `${where}: JetStream did not answer for ${failoverMs} ms: the cluster has no meta leader (are most of its servers up?) (${message})`);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** attempt)));
      }
    }
  }

  /**
   * nats-server 2.9 only checks `Nats-Expected-Last-Sequence` when it is above 0, so the first
   * append to an empty stream could not be fenced. A new stream therefore starts with a void
   * marker voiding its own sequence 1; the message id makes a second writer's copy a duplicate.
   */
  async #genesis(): Promise<void> {
    const info = await this.#io('open', () => this.#jsm!.streams.info(this.#location.stream));
    if (info.state.last_seq > 0) return;
    const voids: Void[] = [[1, 1]];
    await this.#io('open', () => this.#js!.publish(this.#subjects.void, new TextEncoder().encode(JSON.stringify(voids)), { msgID: `${this.#location.stream}-genesis` }));
  }

  /**
   * The last seq whose batch is complete, from the stream's last message: when that message
   * ends its batch, everything up to it is committed; otherwise the batch before it is the end.
   */
  async #committedEnd(): Promise<{ lastSeq: number; streamLast: number; unfinished?: { from: number; to: number; storedAt: number } }> {
    const where = `${this.#name}: open`;
    const info = await this.#io('open', () => this.#jsm!.streams.info(this.#location.stream));
    const streamLast = info.state.last_seq;
    this.#voids = await this.#readVoids();
    if (streamLast === 0) return { lastSeq: 0, streamLast };
    // From the leader, as streams.info was: a replica may not have the stream's last message yet.
    const last = await this.#leaderGet({ seq: streamLast }, 'open');
    if (!last) throw missingEvents(this.#meshSeqOf(streamLast) ?? streamLast, this.#meshSeqOf(streamLast) ?? streamLast, where);
    if (last.subject === this.#subjects.void) return { lastSeq: this.#meshSeqOf(streamLast - 1) ?? 0, streamLast };
    const { seq, batch } = this.#headersOf(last.header, streamLast, where);
    if (seq === batch[1]) return { lastSeq: seq, streamLast };
    const fromStream = streamLast - (seq - batch[0]);
    return {
      lastSeq: batch[0] - 1, streamLast,
      unfinished: { from: fromStream, to: streamLast, storedAt: last.time.getTime() },
    };
  }

  /**
   * A batch cut short by a writer that died: it was never acknowledged, so it is voided — a
   * marker on the void subject names its stream sequences, and every reader skips them. A
   * batch younger than `abandonedBatchMs` may still be finishing: its writer is alive.
   */
  async #voidUnfinished(unfinished: { from: number; to: number; storedAt: number }): Promise<void> {
    const where = `${this.#name}: open`;
    const age = Date.now() - unfinished.storedAt;
    if (age < (this.#options.abandonedBatchMs ?? 10_000)) {
      throw new MeshfoldError('STORE_LOG_IN_USE', `${where}: another writer is appending to stream ${this.#location.stream} (a batch is being written)`);
    }
    const voids: Void[] = [...this.#voids, [unfinished.from, unfinished.to + 1]];
    await this.#publish(this.#subjects.void, new TextEncoder().encode(JSON.stringify(voids)), unfinished.to, undefined, where);
    this.#voids = voids;
    this.#streamLast = unfinished.to + 1;
    this.#lastSeq = this.#meshSeqOf(unfinished.from - 1) ?? 0;
  }

  async #readVoids(): Promise<Void[]> {
    // From the leader: a replica's older marker would map seqs to the wrong messages.
    const marker = await this.#leaderGet({ last_by_subj: this.#subjects.void }, 'open');
    if (!marker) return [];
    try {
      const voids = JSON.parse(new TextDecoder().decode(marker.data)) as Void[];
      if (Array.isArray(voids) && voids.every((v) => Array.isArray(v) && Number.isSafeInteger(v[0]) && Number.isSafeInteger(v[1]))) return voids;
    } catch {
      // Reported below.
    }
    throw new MeshfoldError('STORE_CORRUPT_VALUE', `${this.#name}: the void marker at stream sequence ${marker.seq} does not decode`);
  }

  // --- writing

  async #write(inputs: readonly AppendEvent[], { checkedBy }: AppendOptions): Promise<number[]> {
    if (this.#broken) throw this.#broken;
    const plan = planAppend(inputs, this.#lastSeq + 1, this.#lastEpochMs, (this.#options.now ?? Date.now)());
    if (plan.events.length === 0) return [];
    const first = this.#lastSeq + 1;
    const last = this.#lastSeq + plan.events.length;
    const where = `${this.#name}: append`;
    const publish = (i: number, retry: boolean) => {
      const h = headers();
      h.set(HEADER_SEQ, String(plan.events[i]!.seq));
      h.set(HEADER_BATCH, `${first}-${last}`);
      return this.#publish(this.#eventSubject(plan.events[i]!), plan.values[i]!.slice(), this.#streamLast + i, h, where, retry);
    };
    try {
      // The first message alone: once it is stored where this writer expects the stream to end,
      // no other writer's message can land inside the batch (each expects an end this batch has
      // moved past, and a writer whose first message failed sends no more of its batch). Sent
      // together, two writers racing from the same end could each get every other message in.
      await publish(0, true);
      // The rest pipelined: each message expects the one before it, so none can land out of place.
      const results = await Promise.allSettled(plan.events.slice(1).map((_, i) => publish(i + 1, false)));
      const failed = results.findIndex((r) => r.status === 'rejected');
      const firstFailed = failed < 0 ? -1 : failed + 1;
      if (firstFailed >= 0) {
        const reason = (results[failed] as PromiseRejectedResult).reason;
        if (!(reason instanceof Unavailable)) throw reason;
        // The cluster could not take a message (e.g. electing a leader): the rest failed behind
        // it, so they are sent again one by one, in order, with the same message ids (a copy the
        // stream already holds is acknowledged as a duplicate, not stored twice).
        for (let i = firstFailed; i < plan.events.length; i++) await publish(i, true);
      }
    } catch (err) {
      // The stream's end is unknown to this writer now; a half-written batch stays invisible.
      this.#broken = err instanceof MeshfoldError ? err : new MeshfoldError('STORE_IO', `${where}: ${String((err as Error)?.message ?? err)}`);
      throw this.#broken;
    }
    this.#streamLast += plan.events.length;
    this.#lastSeq = last;
    this.#lastEpochMs = plan.lastEpochMs;
    if (checkedBy !== undefined) {
      this.#checked = extendChecked(this.#checked, first, last, checkedBy);
      this.#saveChecked(where, last);
    }
    return plan.events.map((event) => event.seq);
  }

  /**
   * Checked ranges are only a hint that saves replays work, written after the events so it can
   * lag, never lead. So an append does not wait for it: one write is in flight at a time, and
   * the ranges appended meanwhile go in the next (a replicated put costs a round trip to a quorum,
   * as much as a small batch). `close` waits for the last. A hint that cannot be written (the
   * cluster is away longer than `failoverMs`) is reported, and the appends still succeed.
   */
  #saveChecked(where: string, seq: number): void {
    this.#checkedDirty = true;
    if (this.#checkedSaving) return;
    this.#checkedSaving = (async () => {
      try {
        while (this.#checkedDirty) {
          this.#checkedDirty = false;
          const ranges = this.#checked;
          const meta = (await this.#metaBucket(true))!;
          await this.#retrying(() => meta.put('checked', encodeChecked(ranges)));
        }
      } catch (err) {
        this.#report({ code: 'STORE_IO', message: `${where}: checked ranges not saved (replays validate these events again): ${(err as Error).message}`, seq });
      } finally {
        this.#checkedSaving = undefined;
      }
    })();
  }

  /**
   * One message, expecting the stream to end at `expectLast`. A wrong last sequence means another
   * writer: STORE_LOG_IN_USE. When the cluster cannot answer (no stream leader, a timeout), `retry`
   * sends it again with the same message id until `failoverMs` has passed; without it, that is
   * thrown as `Unavailable` for the caller to retry in order.
   */
  async #publish(subject: string, data: Uint8Array, expectLast: number, h: MsgHdrs | undefined, where: string, retry = true): Promise<void> {
    // This writer's own id: a retry of its message is a duplicate, another writer's never is.
    const msgID = `${this.#writerId}-${expectLast + 1}`;
    const deadline = Date.now() + (this.#options.failoverMs ?? 30_000);
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await this.#js!.publish(subject, data, { msgID, headers: withExpectedLast(h, expectLast), timeout: 5000 });
        if (ack.seq !== expectLast + 1) throw new MeshfoldError('STORE_LOG_IN_USE', `${where}: another writer appended to stream ${this.#location.stream}`);
        return;
      } catch (err) {
        if (isMeshfoldError(err)) throw err;
        const message = String((err as Error).message);
        if (/wrong last sequence/i.test(message)) {
          // Behind a message that failed, this is that failure, not another writer.
          if (!retry) throw new Unavailable(message);
          throw new MeshfoldError('STORE_LOG_IN_USE', `${where}: another writer appended to stream ${this.#location.stream} (expected it to end at ${expectLast})`);
        }
        if (!retry) throw new Unavailable(message);
        if (Date.now() >= deadline) throw new MeshfoldError('STORE_IO', `${where}: ${message} (for ${this.#options.failoverMs ?? 30_000} ms)`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** attempt)));
      }
    }
  }

  /** `fn` again, backing off, while the cluster cannot answer it, until `failoverMs` has passed. */
  async #retrying<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.#options.failoverMs ?? 30_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (isMeshfoldError(err) || Date.now() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** attempt)));
      }
    }
  }

  // --- reading

  /** The stored value of each seq `from..to`, in order, skipping voided messages; a gap or a wrong seq is named. */
  async *#stored(from: number, to: number, where: string): AsyncGenerator<{ seq: number; value: Uint8Array }> {
    if (to - from + 1 <= DIRECT_READ_EVENTS) {
      yield* this.#storedDirect(from, to, where);
      return;
    }
    let expected = from;
    const lastStream = this.#streamSeqOf(to);
    for await (const { seq, value } of this.#consume(this.#subjects.events, this.#streamSeqOf(from), lastStream, false)) {
      if (seq > to) break;
      if (seq !== expected) throw missingEvents(expected, seq - 1, where);
      yield { seq, value: value! };
      expected++;
      if (expected > to) return;
    }
    if (expected <= to) throw missingEvents(expected, to, where);
  }

  /** {@link #stored} of a short range, by direct gets; a gap is named whole, as the consumer's reading names it. */
  async *#storedDirect(from: number, to: number, where: string): AsyncGenerator<{ seq: number; value: Uint8Array }> {
    for (let first = from; first <= to; first += DIRECT_GETS_IN_FLIGHT) {
      const seqs = Array.from({ length: Math.min(DIRECT_GETS_IN_FLIGHT, to - first + 1) }, (_, i) => first + i);
      const values = await Promise.all(seqs.map((seq) => this.#valueAt(seq, where).catch((err: unknown) => err)));
      for (const [i, value] of values.entries()) {
        if (value instanceof Uint8Array) {
          yield { seq: seqs[i]!, value };
          continue;
        }
        if (isMeshfoldError(value) && value.code === 'STORE_CORRUPT_MISSING') throw missingEvents(seqs[i]!, await this.#gapEnd(seqs[i]!, to, where), where);
        throw value;
      }
    }
  }

  /** The last seq of the gap that starts at missing `seq`, within `..to`. */
  async #gapEnd(seq: number, to: number, where: string): Promise<number> {
    for (let next = seq + 1; next <= to; next++) {
      const found = await this.#valueAt(next, where).then(() => true, (err: unknown) => {
        if (isMeshfoldError(err) && err.code === 'STORE_CORRUPT_MISSING') return false;
        throw err;
      });
      if (found) return next - 1;
    }
    return to;
  }

  /**
   * Messages on `subject` from stream sequence `start` to `end`, through an ordered consumer,
   * with their seqs (the stream sequence less the voided ones before it). Voided messages skipped.
   * `end` is a message on `subject` the stream leader stored. The consumer may be served by a
   * replica still catching up (a node just restarted), which runs out before `end`: then the
   * leader is asked whether `end` exists, and if it does, reading resumes after the last message
   * delivered once the replica has it (bounded by `failoverMs`). If the leader has no `end`
   * either, the caller finds the gap and names it.
   */
  async *#consume(subject: string, start: number, end: number, headersOnly: boolean): AsyncGenerator<{ seq: number; value?: Uint8Array }> {
    let next = start;
    const deadline = Date.now() + (this.#options.failoverMs ?? 30_000);
    while (next <= end) {
      const consumer = await this.#io('read', () => this.#js!.consumers.get(this.#location.stream, {
        filterSubjects: subject, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: next, headers_only: headersOnly,
      }));
      const messages = await this.#io('read', () => consumer.consume({ max_messages: this.#options.readBatchSize ?? 1000 }));
      try {
        for await (const m of messages) {
          const streamSeq = m.seq;
          next = streamSeq + 1;
          const seq = this.#meshSeqOf(streamSeq);
          if (seq !== undefined) yield { seq, ...(!headersOnly && { value: m.data }) };
          if (streamSeq >= end || m.info.pending === 0) break;
        }
      } finally {
        messages.stop();
      }
      if (next > end || !(await this.#leaderHas(end))) return;
      if (Date.now() >= deadline) {
        throw new MeshfoldError('STORE_IO', `${this.#name}: read: the replica serving stream sequences ${next}..${end} has not caught up with the stream leader in ${this.#options.failoverMs ?? 30_000} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Whether the stream leader holds stream sequence `streamSeq` (not a replica's possibly older view). */
  async #leaderHas(streamSeq: number): Promise<boolean> {
    return (await this.#leaderGet({ seq: streamSeq }, 'read')) !== undefined;
  }

  /**
   * A message as the stream leader has it, or undefined if it has none. Direct gets are answered
   * by any replica, which may lag; the leader's answer is the committed truth, so it decides
   * wherever a stale answer would read as damage or hide the newest message of a subject.
   */
  async #leaderGet(query: { seq: number } | { last_by_subj: string }, operation: string): Promise<StoredMsg | undefined> {
    return this.#io(operation, () => this.#jsm!.streams.getMessage(this.#location.stream, query).catch((err: unknown) => {
      if (/no message found|not found/i.test(String((err as Error).message))) return undefined;
      throw err;
    }));
  }

  /** Replays committed events from `from`, then follows every writer's batches as they complete. */
  async *#follow(from: number, control: TailControl): AsyncGenerator<LoggedEvent> {
    const where = `${this.#name}: tail`;
    const finished = (next: number) => control.unsubscribed || (control.stopAt !== undefined && next > control.stopAt);
    if (finished(from)) return;
    const consumer = await this.#io('tail', () => this.#js!.consumers.get(this.#location.stream, {
      filterSubjects: this.#subjects.all, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.#streamSeqOf(from),
    }));
    const messages = await this.#io('tail', () => consumer.consume({ max_messages: 1000, idle_heartbeat: 1000, expires: 2000 }));
    control.wake = () => { if (finished(expected)) messages.stop(); };
    let pending: LoggedEvent[] = [];
    let expected = from;
    try {
      for await (const m of messages) {
        if (m.subject === this.#subjects.void) {
          // A dead writer's batch: what was held of it never becomes visible.
          this.#voids = await this.#readVoids();
          pending = [];
          continue;
        }
        if (this.#meshSeqOf(m.seq) === undefined) continue;
        const { seq, batch } = this.#headersOf(m.headers, m.seq, where);
        if (seq < expected) continue;
        if (seq !== expected + pending.length) throw missingEvents(expected + pending.length, seq - 1, where);
        pending.push(decodeEvent(m.data, seq));
        if (seq === batch[1]) {
          this.#lastSeq = Math.max(this.#lastSeq, seq);
          for (const event of pending) {
            if (finished(event.seq)) return;
            yield event;
          }
          expected = seq + 1;
          pending = [];
          if (finished(expected)) return;
        }
      }
    } finally {
      control.wake = undefined;
      messages.stop();
    }
  }

  /** A direct get (any replica); one that has not got the message yet is overruled by the leader. */
  async #valueAt(seq: number, where: string): Promise<Uint8Array> {
    const streamSeq = this.#streamSeqOf(seq);
    const m = await this.#jsm!.direct.getMessage(this.#location.stream, { seq: streamSeq }).catch(async (err: unknown) => {
      if (!/no message found|not found/i.test(String((err as Error).message))) throw new MeshfoldError('STORE_IO', `${where}: ${(err as Error).message}`);
      const fromLeader = await this.#leaderGet({ seq: streamSeq }, 'get');
      if (!fromLeader) throw missingEvents(seq, seq, where);
      return fromLeader;
    });
    return m.data;
  }

  async #eventAt(seq: number, where: string): Promise<LoggedEvent> {
    return decodeEvent(await this.#valueAt(seq, where), seq);
  }

  /** From the leader: a lagging replica would name an older message of the subject as its last. */
  async #lastStreamSeqOf(subject: string): Promise<number | undefined> {
    return (await this.#leaderGet({ last_by_subj: subject }, 'read'))?.seq;
  }

  #headersOf(h: MsgHdrs | undefined, streamSeq: number, where: string): { seq: number; batch: [number, number] } {
    const seq = Number(h?.get(HEADER_SEQ));
    const batch = (h?.get(HEADER_BATCH) ?? '').split('-').map(Number);
    const sound = Number.isSafeInteger(seq) && batch.length === 2 && batch.every(Number.isSafeInteger) && batch[0]! <= seq && seq <= batch[1]!;
    if (!sound || (this.#meshSeqOf(streamSeq) !== undefined && this.#meshSeqOf(streamSeq) !== seq)) {
      const at = this.#meshSeqOf(streamSeq) ?? seq;
      throw new MeshfoldError('STORE_CORRUPT_VALUE', `${where}: event at seq ${at}: corrupt message headers (stream sequence ${streamSeq})`, { seq: at });
    }
    return { seq, batch: batch as [number, number] };
  }

  // --- seq mapping: stream sequence = seq + the voided messages before it

  #streamSeqOf(seq: number): number {
    let streamSeq = seq;
    for (const [from, to] of this.#voids) if (from <= streamSeq) streamSeq += to - from + 1;
    return streamSeq;
  }

  #meshSeqOf(streamSeq: number): number | undefined {
    let before = 0;
    for (const [from, to] of this.#voids) {
      if (streamSeq >= from && streamSeq <= to) return undefined;
      if (to < streamSeq) before += to - from + 1;
    }
    return streamSeq - before;
  }

  // --- subjects, buckets, helpers

  #eventSubject(event: LoggedEvent): string {
    return this.#objectSubject(identityOfObject(event.object) ?? '');
  }

  #objectSubject(identity: string): string {
    return `${this.#subjects.events.slice(0, -1)}${encodeIdentity(identity)}`;
  }

  async #snapshotStore(create: boolean): Promise<ObjectStore | undefined> {
    if (this.#snapshots) return this.#snapshots;
    const bucket = `meshfold_${this.#location.stream}_snapshots`;
    if (!create && !(await this.#streamExists(`OBJ_${bucket}`))) return undefined;
    this.#snapshots = await this.#io('snapshots', () => this.#js!.views.os(bucket, { replicas: this.#replicas }));
    return this.#snapshots;
  }

  async #metaBucket(create: boolean): Promise<KV | undefined> {
    if (this.#meta) return this.#meta;
    const bucket = `meshfold_${this.#location.stream}_meta`;
    if (!create && !(await this.#streamExists(`KV_${bucket}`))) return undefined;
    this.#meta = await this.#io('meta', () => this.#js!.views.kv(bucket, { replicas: this.#replicas, history: 1 }));
    return this.#meta;
  }

  async #streamExists(name: string): Promise<boolean> {
    return this.#jsm!.streams.info(name).then(() => true, () => false);
  }

  #usable(seq: number, stored: StoredSnapshot | undefined, projectorVersion: string): Snapshot | undefined {
    if (!stored) return undefined;
    if (stored.projectorVersion !== projectorVersion) {
      this.#report({ code: 'STORE_SNAPSHOT_REJECTED', seq, message: `${this.#name}: snapshot at seq ${seq} is of projector version ${stored.projectorVersion}, not ${projectorVersion}; ignored` });
      return undefined;
    }
    return { seq, hash: stored.hash, state: stored.state };
  }

  async #readSnapshot(store: ObjectStore, seq: number): Promise<StoredSnapshot | undefined> {
    const value = await this.#io('snapshotAtOrBefore', () => store.getBlob(snapshotName(seq)));
    return value ? this.#decodeSnapshotOrReport(seq, value) : undefined;
  }

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

  async #io<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isMeshfoldError(err)) throw err;
      if (this.#status !== 'open' && this.#status !== 'opening') throw new MeshfoldError('STORE_NOT_OPEN', `${this.#name}: ${operation}: log is ${this.#status}`);
      throw new MeshfoldError('STORE_IO', `${this.#name}: ${operation}: ${(err as Error).message}`);
    }
  }

  #requireWritable(operation: string): void {
    this.#requireOpen(operation);
    if (this.#options.readOnly) throw new MeshfoldError('STORE_READ_ONLY', `${this.#name}: ${operation}: log is open read-only`);
  }

  #requireOpen(operation: string): void {
    if (this.#status !== 'open') throw new MeshfoldError('STORE_NOT_OPEN', `${this.#name}: ${operation}: log is ${this.#status}`);
  }
}

/**
 * The header set by hand: the client leaves `expect.lastSequence` out when it is 0, and a first
 * append to an empty stream must be fenced too.
 */
function withExpectedLast(h: MsgHdrs | undefined, expectLast: number): MsgHdrs {
  const out = h ?? headers();
  out.set('Nats-Expected-Last-Sequence', String(expectLast));
  return out;
}

/** A pipelined publish the cluster did not take; its batch is then sent again in order. */
class Unavailable extends Error {}

/** How `close` and unsubscribing reach a running tail. */
interface TailControl {
  unsubscribed: boolean;
  /** The last seq to deliver before completing, set when the log closes. */
  stopAt?: number;
  /** Stops the consumer if the tail is done: set while it runs. */
  wake?: () => void;
}

/** base64url of the identity: any Kubernetes name becomes one subject token (no `.`, `*`, `>`). */
function encodeIdentity(identity: string): string {
  return identity === '' ? '_' : Buffer.from(identity, 'utf8').toString('base64url');
}

function decodeIdentity(token: string): string | undefined {
  return token === '_' ? undefined : Buffer.from(token, 'base64url').toString('utf8');
}

/** Fixed width, so object names sort as seqs do. */
function snapshotName(seq: number): string {
  return `seq-${String(seq).padStart(16, '0')}`;
}

function seqOfSnapshotName(name: string): number | undefined {
  const match = /^seq-(\d{16})$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function checkSeqArgument(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer seq, got ${String(value)}`);
}
