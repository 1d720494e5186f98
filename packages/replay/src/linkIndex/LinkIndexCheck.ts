import { MeshfoldError, type ApplyResult, type WatchEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { decodeLinkBlock, SERVICE_ENTRY, type LinkBlock } from './LinkBlock.js';
import { LinkBlockBuilder } from './LinkBlockBuilder.js';
import { LINK_INDEX } from './linkIndexName.js';

/** One row of a namespace's index with its seq and names resolved (the names are the blocks' own strings). */
interface Row { seq: number; a: string; b: string; flag: number }

const COLUMNS = ['events', 'links', 'hosts'] as const;
/** See the constructor. */
const DEFAULT_RUN_EVENTS = 20_000;
type Column = (typeof COLUMNS)[number];
type Rows = Record<Column, Row[]>;

/** What has been read of one namespace's stored blocks and not compared yet. */
interface Stored { rows: Rows; nextFrom: number }

/**
 * Holds the link index a log keeps, seqs 1..`through`, against a replay of those seqs, as the
 * replay goes: `add` each event with its fold result, `check` after each batch of them, `finish`
 * at the end. The rows of each namespace are compared in seq order, not block by block: where a
 * writer cut its blocks depends on its batches. What is held is a run of events' rows and one
 * block per namespace, whatever the log's length. The first difference is `VERIFY_INDEX_MISMATCH`
 * naming the namespace, the seq and both rows; a namespace the index holds blocks of and the
 * replay never saw is one too.
 */
export class LinkIndexCheck {
  readonly #log: EventLog;
  readonly #through: number;
  readonly #runEvents: number;
  /** Never sealed: one block per namespace of what was added since the last comparison. */
  #added = new LinkBlockBuilder(Number.POSITIVE_INFINITY);
  #addedEvents = 0;
  /** The last seq `check` was called with: the added events run through it. */
  #checkedUpTo = 0;
  readonly #stored = new Map<string, Stored>();

  /**
   * `runEvents`: events added before they are compared. Each comparison reads the index's blocks
   * of every namespace in the run, so runs are long; a run's rows are what is held in memory.
   */
  constructor(log: EventLog, through: number, runEvents = DEFAULT_RUN_EVENTS) {
    this.#log = log;
    this.#through = through;
    this.#runEvents = runEvents;
  }

  /** An event the replay applied, at or before `through`. */
  add(seq: number, event: Pick<WatchEvent, 'object'>, result: ApplyResult): void {
    if (seq > this.#through) return;
    this.#added.add(seq, event, result);
    this.#addedEvents++;
  }

  /**
   * Every event up to seq `upTo` has been added: once a run's worth is, it is compared with the
   * stored rows of the same namespaces.
   */
  async check(upTo: number): Promise<void> {
    this.#checkedUpTo = Math.min(upTo, this.#through);
    if (this.#addedEvents >= this.#runEvents) await this.#compareAdded();
  }

  /**
   * Once every event through `through` was added: what is left is compared, and a namespace's
   * stored rows that no replayed event gave are a mismatch too.
   */
  async finish(): Promise<void> {
    this.#checkedUpTo = this.#through; // every event through it has been added by now
    await this.#compareAdded();
    // The namespaces the replay saw, then any other the index holds blocks of: no event gave those.
    const namespaces = new Set([...this.#stored.keys(), ...await this.#log.indexGroups(LINK_INDEX)]);
    for (const namespace of namespaces) {
      this.#compare(namespace, { events: [], links: [], hosts: [] }, await this.#storedThrough(namespace, this.#through));
    }
  }

  async #compareAdded(): Promise<void> {
    const blocks = this.#added.take();
    this.#added = new LinkBlockBuilder(Number.POSITIVE_INFINITY);
    this.#addedEvents = 0;
    for (const block of blocks) {
      const wanted = rowsOf(decodeLinkBlock(block.value, `link index rebuilt for namespace ${block.group}`), block.seq);
      this.#compare(block.group, wanted, await this.#storedThrough(block.group, this.#checkedUpTo));
    }
  }

  /** The stored rows of `namespace` at or before `through` not compared yet (taken out of what is held). */
  async #storedThrough(namespace: string, through: number): Promise<Rows> {
    let stored = this.#stored.get(namespace);
    if (!stored) this.#stored.set(namespace, (stored = { rows: { events: [], links: [], hosts: [] }, nextFrom: 1 }));
    if (stored.nextFrom <= through) {
      for (const b of await this.#log.indexBlocks(LINK_INDEX, namespace, { from: stored.nextFrom, to: through })) {
        const rows = rowsOf(decodeLinkBlock(b.value, `link index of namespace ${namespace}, block at seq ${b.seq}`), b.seq);
        for (const column of COLUMNS) stored.rows[column].push(...rows[column]);
      }
      stored.nextFrom = through + 1;
    }
    const taken = { events: [], links: [], hosts: [] } as Rows;
    for (const column of COLUMNS) {
      const all = stored.rows[column];
      taken[column] = all.filter((r) => r.seq <= through);
      stored.rows[column] = all.filter((r) => r.seq > through);
    }
    return taken;
  }

  #compare(namespace: string, wanted: Rows, held: Rows): void {
    for (const column of COLUMNS) {
      const [w, h] = [sorted(wanted[column]), sorted(held[column])];
      const at = firstDifference(w, h);
      if (at === undefined) continue;
      const [want, have] = [w[at], h[at]];
      const seq = Math.min(want?.seq ?? Infinity, have?.seq ?? Infinity);
      const says = have ? `the index says ${describe(column, have, namespace)} at seq ${have.seq}` : 'the index holds nothing there';
      const gives = want ? `replay gives ${describe(column, want, namespace)} at seq ${want.seq}` : 'replay gives nothing there';
      throw new MeshfoldError('VERIFY_INDEX_MISMATCH',
        `link index of namespace ${namespace}, from seq ${seq}: ${says}, ${gives}; history's answers there may be wrong (meshfold reindex --rebuild builds the index again)`, { seq, namespace });
    }
  }
}

function rowsOf(block: LinkBlock, first: number): Rows {
  const rows: Rows = { events: [], links: [], hosts: [] };
  const { names, events } = block;
  for (let i = 0; i < events.length; i += 3) rows.events.push({ seq: first + events[i]!, a: names[events[i + 2]!]!, b: '', flag: events[i + 1]! });
  for (const column of ['links', 'hosts'] as const) {
    const values = block[column];
    for (let i = 0; i < values.length; i += 4) rows[column].push({ seq: first + values[i]!, a: names[values[i + 1]!]!, b: names[values[i + 2]!]!, flag: values[i + 3]! });
  }
  return rows;
}

/** In seq order, and within one seq by names: the order a writer put them in is not part of the index's meaning. */
function sorted(rows: Row[]): Row[] {
  return rows.sort((x, y) => x.seq - y.seq || compare(x.a, y.a) || compare(x.b, y.b) || x.flag - y.flag);
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function firstDifference(wanted: Row[], held: Row[]): number | undefined {
  for (let i = 0; i < Math.max(wanted.length, held.length); i++) {
    const w = wanted[i];
    const h = held[i];
    if (!w || !h || w.seq !== h.seq || w.a !== h.a || w.b !== h.b || w.flag !== h.flag) return i;
  }
  return undefined;
}

function describe(column: Column, row: Row, namespace: string): string {
  switch (column) {
    case 'events': return `an event of ${row.flag === SERVICE_ENTRY ? 'ServiceEntry' : 'WorkloadEntry'} ${namespace}/${row.a}`;
    case 'links': return `the association of ServiceEntry ${namespace}/${row.a} and WorkloadEntry ${namespace}/${row.b} ${row.flag ? 'added' : 'removed'}`;
    case 'hosts': return `host ${row.b} ${row.flag ? 'added to' : 'removed from'} ServiceEntry ${namespace}/${row.a}`;
  }
}
