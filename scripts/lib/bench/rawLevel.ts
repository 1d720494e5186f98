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
      packr.unpack(value.subarray(1));
      count++;
    }
  }
  await it.close();
  const seconds = (performance.now() - start) / 1000;
  await db.close();
  return { seconds, count };
}
