import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMeshfoldError, Projector, type WatchEvent } from '@meshfold/core';
import { watchStream } from '@meshfold/testing';
import { EventLog } from '@meshfold/store';
import { historyJson, indexLinks } from '../src/index.js';
import type { Io } from '../src/io/Io.js';
import { decodeLinkBlock, encodeLinkBlock } from '../src/linkIndex/LinkBlock.js';
import { LinkBlockBuilder } from '../src/linkIndex/LinkBlockBuilder.js';
import { linkTimeline } from '../src/linkIndex/linkTimeline.js';
import { LINK_INDEX } from '../src/linkIndex/linkIndexName.js';
import { record } from '../src/recording/record.js';

// Each run records in a worker thread of its own: fewer runs than the pure property tests.
const RUNS = Math.ceil(Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 100);

/** `meshfold record` of `events` (as kubectl prints them) onto `log`, in-process. */
async function recordOnto(log: EventLog, events: readonly WatchEvent[], sync = false): Promise<void> {
  const text = events.map((e) => JSON.stringify({ type: e.type, object: e.object })).join('\n');
  const io: Io = { interactive: false, stdin: (async function* () { yield text; })(), out() {}, err() {} };
  await record([], { log: 'memory', openLog: async () => { await log.open(); return log; }, sync }, io);
  await log.open();
}

async function assertSameHistories(log: EventLog): Promise<void> {
  const identities = [...await log.identities('ServiceEntry/'), ...await log.identities('WorkloadEntry/')];
  for (const key of identities) assert.equal(await historyJson(log, key), await historyJson(log, key, { linkIndex: false }), key);
}

test('record keeps the link index through every event it appends, across runs, and history from it equals history from the events', async () => {
  await fc.assert(fc.asyncProperty(fc.array(watchStream(30), { minLength: 1, maxLength: 3 }), async (runs) => {
    const log = await EventLog.openMemory();
    try {
      for (const events of runs) await recordOnto(log, events);
      assert.is(await log.indexedThrough(LINK_INDEX), log.lastSeq);
      await assertSameHistories(log);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('a relist (record --sync, folded on the recording thread) keeps the link index too', async () => {
  await fc.assert(fc.asyncProperty(watchStream(20), watchStream(20), watchStream(20), async (before, set, after) => {
    const log = await EventLog.openMemory();
    try {
      await recordOnto(log, before);
      await recordOnto(log, set.filter((e) => e.type !== 'DELETED'), true);
      await recordOnto(log, after);
      assert.is(await log.indexedThrough(LINK_INDEX), log.lastSeq);
      await assertSameHistories(log);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('a log appended to without the index gets none from record until indexLinks builds it', async () => {
  await fc.assert(fc.asyncProperty(watchStream(20), watchStream(20), async (raw, recorded) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(raw);
      await recordOnto(log, recorded);
      assert.is(await log.indexedThrough(LINK_INDEX), 0, 'an index with a hole is never started');
      assert.is(await indexLinks(log), log.lastSeq);
      await assertSameHistories(log);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('however the blocks are cut — grown and rewritten batch by batch, sealed small — the index reads back the same', async () => {
  const cuts = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 20 });
  await fc.assert(fc.asyncProperty(watchStream(60), cuts, fc.integer({ min: 1, max: 12 }), async (events, batches, sealRows) => {
    const [cut, whole] = [await EventLog.openMemory(), await EventLog.openMemory()];
    try {
      await cut.append(events);
      await whole.append(events);
      const [small, one] = [new LinkBlockBuilder(sealRows), new LinkBlockBuilder(Infinity)];
      const projector = new Projector();
      let from = 1;
      for (const event of await collect(cut)) {
        try {
          const result = projector.replay(event, event.seq);
          small.add(event.seq, event, result);
          one.add(event.seq, event, result);
        } catch (err) {
          if (!isMeshfoldError(err)) throw err;
          projector.skip(event.seq);
        }
        if (event.seq - from + 1 >= batches[event.seq % batches.length]! || event.seq === cut.lastSeq) {
          await cut.putIndexBlocks(LINK_INDEX, from, event.seq, small.take());
          from = event.seq + 1;
        }
      }
      await whole.putIndexBlocks(LINK_INDEX, 1, whole.lastSeq, one.take());
      for (const namespace of ['a', 'b']) {
        const [a, b] = [await linkTimeline(cut, namespace, cut.lastSeq), await linkTimeline(whole, namespace, whole.lastSeq)];
        assert.equal([a.names, [...a.events], [...a.links], [...a.hosts]], [b.names, [...b.events], [...b.links], [...b.hosts]], namespace);
      }
    } finally {
      await cut.close();
      await whole.close();
    }
  }), { numRuns: RUNS * 4 });
});

async function collect(log: EventLog) {
  const out = [];
  for await (const batch of log.readBatches()) out.push(...batch);
  return out;
}

test('a link block round-trips 16 or 32 bits wide; one that does not decode, or names what it does not hold, is STORE_CORRUPT_VALUE', () => {
  const good = { names: ['s', 'w'], events: Uint32Array.of(0, 0, 0), links: Uint32Array.of(0, 0, 1, 1), hosts: new Uint32Array(0) };
  assert.equal(decodeLinkBlock(encodeLinkBlock(good), 'block').links, good.links);
  const wide = { ...good, events: Uint32Array.of(70_000, 1, 1) }; // an offset past 16 bits: the block is stored 32 bits wide
  assert.equal(decodeLinkBlock(encodeLinkBlock(wide), 'block').events, wide.events);
  for (const bad of [
    Uint8Array.of(0xc1),
    encodeLinkBlock({ ...good, links: Uint32Array.of(0, 0, 2, 1) }),
    encodeLinkBlock({ ...good, events: Uint32Array.of(0, 2, 0) }),
    encodeLinkBlock({ ...good, hosts: Uint32Array.of(0, 0, 1) }),
  ]) {
    let thrown: unknown;
    try {
      decodeLinkBlock(bad, 'block at seq 1');
    } catch (err) {
      thrown = err;
    }
    assert.ok(isMeshfoldError(thrown, 'STORE_CORRUPT_VALUE'), String(thrown));
  }
});

test.run();
