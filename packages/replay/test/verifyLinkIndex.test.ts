// `verify` holds the link index `history` reads against a replay: however a writer cut its
// blocks, an index that holds what replay gives passes, and one row lost or added fails, naming it.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkEvent, isMeshfoldError, Projector, type LoggedEvent, type WatchEvent } from '@meshfold/core';
import { watchStream } from '@meshfold/testing';
import { EventLog } from '@meshfold/store';
import { indexLinks } from '../src/index.js';
import { LinkBlockBuilder } from '../src/linkIndex/LinkBlockBuilder.js';
import { LinkIndexCheck } from '../src/linkIndex/LinkIndexCheck.js';
import { LINK_INDEX } from '../src/linkIndex/linkIndexName.js';
import { verifyLog } from '../src/queries/verifyLog.js';

const RUNS = Math.ceil(Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 15);

/** The events of `stream` the fold accepts (whether it does never depends on the state). */
function valid(stream: readonly WatchEvent[]): WatchEvent[] {
  return stream.filter((event) => {
    try {
      checkEvent(event, 1);
      return true;
    } catch (err) {
      if (!isMeshfoldError(err)) throw err;
      return false;
    }
  });
}

async function eventsOf(log: EventLog): Promise<LoggedEvent[]> {
  const out: LoggedEvent[] = [];
  for await (const batch of log.readBatches()) out.push(...batch);
  return out;
}

/**
 * Writes the link index of `log` through `through` in blocks sealed at `sealRows`, written every
 * `every` events, with `edit` applied to each event's fold result first (to damage the index).
 */
async function writeIndex(log: EventLog, through: number, sealRows: number, every: number, edit = (_seq: number, r: ReturnType<Projector['replay']>) => r) {
  const builder = new LinkBlockBuilder(sealRows);
  const projector = new Projector();
  let from = 1;
  for (const event of (await eventsOf(log)).filter((e) => e.seq <= through)) {
    builder.add(event.seq, event, edit(event.seq, projector.replay(event, event.seq)));
    if (event.seq - from + 1 >= every || event.seq === through) {
      await log.putIndexBlocks(LINK_INDEX, from, event.seq, builder.take());
      from = event.seq + 1;
    }
  }
}

/**
 * The check verify runs, with the replay's runs of events cut every `cuts[i]` events instead of
 * where the log's reads end: resolves, or rejects with the mismatch.
 */
async function checkInRuns(log: EventLog, cuts: readonly number[]): Promise<void> {
  const through = await log.indexedThrough(LINK_INDEX);
  const check = new LinkIndexCheck(log, through, 1); // every check compares
  const projector = new Projector();
  let run = 0;
  for (const event of await eventsOf(log)) {
    check.add(event.seq, event, projector.replay(event, event.seq));
    if (++run >= cuts[event.seq % cuts.length]!) {
      await check.check(event.seq);
      run = 0;
    }
  }
  await check.check(log.lastSeq);
  await check.finish();
}

const cuts = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 });

test('verify passes an index however its blocks were cut, and whatever runs the replay checks it in', async () => {
  await fc.assert(fc.asyncProperty(watchStream(50), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 9 }), cuts, async (stream, sealRows, every, runs) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(valid(stream));
      await writeIndex(log, log.lastSeq, sealRows, every);
      assert.is((await verifyLog(log, [])).linkIndexThrough, log.lastSeq);
      await checkInRuns(log, runs);
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('verify checks an index that ends before the log as far as it goes; a log without one has nothing to check', async () => {
  const log = await EventLog.openMemory();
  try {
    await log.append(valid([...fc.sample(watchStream(30), { numRuns: 1, seed: 7 })[0]!]));
    assert.ok(log.lastSeq > 5, 'the sample has events to index');
    assert.is((await verifyLog(log, [])).linkIndexThrough, 0);
    await writeIndex(log, 5, 4, 2);
    assert.is((await verifyLog(log, [])).linkIndexThrough, 5);
    assert.is(await indexLinks(log), log.lastSeq);
    assert.is((await verifyLog(log, [])).linkIndexThrough, log.lastSeq);
  } finally {
    await log.close();
  }
});

test('an index missing one event\'s association rows, or holding one it should not, fails verify with VERIFY_INDEX_MISMATCH naming the namespace and the seq', async () => {
  await fc.assert(fc.asyncProperty(watchStream(50), fc.boolean(), fc.integer({ min: 1, max: 10 }), cuts, async (stream, drop, sealRows, runs) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(valid(stream));
      // The first event whose fold adds or removes an association: the one the index gets wrong.
      const projector = new Projector();
      const damaged = (await eventsOf(log)).find((e) => projector.replay(e, e.seq).deltas.some((d) => d.type.startsWith('association-')));
      fc.pre(damaged !== undefined);
      const namespace = damaged!.object.metadata.namespace ?? 'default';
      await writeIndex(log, log.lastSeq, sealRows, 3, (seq, result) => {
        if (seq !== damaged!.seq) return result;
        const links = result.deltas.filter((d) => d.type.startsWith('association-'));
        // Dropped, or each told twice (the index then holds a row replay does not give).
        return { ...result, deltas: drop ? result.deltas.filter((d) => !links.includes(d)) : [...result.deltas, ...links] };
      });
      for (const found of [verifyLog(log, []), checkInRuns(log, runs)]) {
        const err = await found.then(() => undefined, (e: unknown) => e);
        assert.ok(isMeshfoldError(err), `verify failed (${String(err)})`);
        assert.is(err.code, 'VERIFY_INDEX_MISMATCH');
        assert.match(err.message, `namespace ${namespace}, from seq ${damaged!.seq}:`);
        assert.match(err.message, 'association of ServiceEntry');
      }
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('an index holding blocks of a namespace no event has fails verify, naming that namespace', async () => {
  const log = await EventLog.openMemory();
  try {
    await log.append(valid([...fc.sample(watchStream(30), { numRuns: 1, seed: 7 })[0]!]));
    const events = await eventsOf(log);
    assert.not.ok(events.some((e) => e.object.metadata.namespace === 'ghost'), 'the sample has no event in namespace ghost');
    // The index of every event as it should be, its last block also holding a row for
    // WorkloadEntry/ghost/vm-1 at the last seq, which no event gave: history would answer with it.
    await writeIndex(log, log.lastSeq - 1, 4, 3);
    const projector = new Projector();
    for (const e of events.slice(0, -1)) projector.replay(e, e.seq);
    const last = events.at(-1)!;
    const blocks = new LinkBlockBuilder();
    blocks.add(last.seq, last, projector.replay(last, last.seq));
    const stray = { object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'vm-1', namespace: 'ghost' }, spec: {} } };
    blocks.add(last.seq, stray, { seq: last.seq, deltas: [], clusters: [] });
    await log.putIndexBlocks(LINK_INDEX, last.seq, last.seq, blocks.take());
    const err = await verifyLog(log, []).then(() => undefined, (e: unknown) => e);
    assert.ok(isMeshfoldError(err), `verify failed (${String(err)})`);
    assert.is(err.code, 'VERIFY_INDEX_MISMATCH');
    assert.match(err.message, `namespace ghost, from seq ${last.seq}: the index says`);
  } finally {
    await log.close();
  }
});

test.run();
