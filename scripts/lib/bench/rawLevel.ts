import { ClassicLevel } from 'classic-level';
import { Packr } from 'msgpackr';

/**
 * Baselines with no meshfold code in the loop: plain classic-level batch writes and plain
 * iteration + msgpackr unpack of the very bytes the log holds.
 */
const binary = { keyEncoding: 'view', valueEncoding: 'view' } as const;

export async function readRawEvents(dir: string): Promise<[Uint8Array, Uint8Array][]> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, binary);
  const events = db.sublevel<Uint8Array, Uint8Array>('events', binary);
  const out: [Uint8Array, Uint8Array][] = [];
  for await (const [key, value] of events.iterator()) out.push([key, value]);
  await db.close();
  return out;
}

/** Seconds to write `entries` into a fresh database in batches of `batch`. */
export async function rawWriteSeconds(dir: string, entries: [Uint8Array, Uint8Array][], batch = 1000): Promise<number> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, binary);
  await db.open();
  const events = db.sublevel<Uint8Array, Uint8Array>('events', binary);
  const start = performance.now();
  for (let i = 0; i < entries.length; i += batch) {
    await events.batch(entries.slice(i, i + batch).map(([key, value]) => ({ type: 'put' as const, key, value })));
  }
  const seconds = (performance.now() - start) / 1000;
  await db.close();
  return seconds;
}

/** Seconds to iterate every event of the log at `dir` and unpack its msgpack body. */
export async function rawReadSeconds(dir: string): Promise<{ seconds: number; count: number }> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, binary);
  await db.open();
  const events = db.sublevel<Uint8Array, Uint8Array>('events', binary);
  const packr = new Packr({ useRecords: false });
  const start = performance.now();
  let count = 0;
  // The same read-ahead as the log's own reader, so the baseline is as fast as it can be too.
  const options = { limit: -1, highWaterMarkBytes: 1 << 20 };
  const it = events.iterator(options);
  for (let entries = await it.nextv(1000); entries.length > 0; entries = await it.nextv(1000)) {
    for (const [, value] of entries) {
      // The body starts after the format byte, and after the checksum in format 2 (unchecked here:
      // checking it is meshfold's work, so the baseline leaves it out).
      packr.unpack(value.subarray(value[0] === 1 ? 1 : 5));
      count++;
    }
  }
  await it.close();
  const seconds = (performance.now() - start) / 1000;
  await db.close();
  return { seconds, count };
}

/**
 * Every key and value of the log at `dir` — events, object and time indexes, snapshots — grouped
 * as a recorder writes them: the entries of each run of `batch` seqs together (a snapshot with
 * the batch it follows). Keys are the root database's, sublevel prefixes included.
 */
export async function readRawLog(dir: string, batch = 1000): Promise<[Uint8Array, Uint8Array][][]> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, binary);
  const batches: [Uint8Array, Uint8Array][][] = [];
  const meta = new TextEncoder().encode('!meta!');
  for await (const [key, value] of db.iterator()) {
    if (startsWith(key, meta)) continue; // a few keys, rewritten by every batch anyway
    // Every other keyspace ends its keys with the 8-byte seq they belong to.
    const seq = Number(new DataView(key.buffer, key.byteOffset + key.length - 8, 8).getBigUint64(0));
    const at = Math.floor((seq - 1) / batch);
    (batches[at] ??= []).push([key, value]);
  }
  await db.close();
  return batches.filter((entries) => entries !== undefined);
}

/** Seconds to write `batches` into a fresh database, one classic-level batch each. */
export async function rawWriteAllSeconds(dir: string, batches: [Uint8Array, Uint8Array][][]): Promise<number> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, binary);
  await db.open();
  const start = performance.now();
  for (const entries of batches) await db.batch(entries.map(([key, value]) => ({ type: 'put' as const, key, value })));
  const seconds = (performance.now() - start) / 1000;
  await db.close();
  return seconds;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
