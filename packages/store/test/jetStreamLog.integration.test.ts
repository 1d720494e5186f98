import { randomUUID } from 'node:crypto';
import { connect, headers } from 'nats';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog, JetStreamEventLog, type JetStreamEventLogOptions } from '../src/index.js';
import { encodeEvent } from '../src/eventCodec.js';
import { startNatsServer, type NatsServer } from './support/natsServer.js';
import { addedRange, collect, failure, workloadEntry } from './support/watchEvents.js';

const test = suite<{ server: NatsServer; logs: EventLog[] }>('JetStream log', { server: undefined as never, logs: [] });
test.before(async (context) => { context.server = await startNatsServer(); });
test.after(async ({ server }) => { await server.stop(); });
test.after.each(async (context) => {
  for (const log of context.logs) await log.close();
  context.logs = [];
});

const fresh = () => `js-${randomUUID().slice(0, 8)}`;
const opener = (context: { server: NatsServer; logs: EventLog[] }, stream: string) => async (options: JetStreamEventLogOptions = {}) => {
  const log = await JetStreamEventLog.open({ servers: [context.server.url], stream }, options);
  context.logs.push(log);
  return log;
};

/** Publishes raw messages on a log's stream, as a writer that died or a damaged store would leave them. */
async function publishRaw(url: string, stream: string, messages: { seq: number; batch: string; body: Uint8Array }[]): Promise<void> {
  const nc = await connect({ servers: url });
  const js = nc.jetstream();
  for (const { seq, batch, body } of messages) {
    const h = headers();
    h.set('Meshfold-Seq', String(seq));
    h.set('Meshfold-Batch', batch);
    // On the subject of the object the body holds, as a writer would have published it.
    await js.publish(`meshfold.${stream}.ev.${Buffer.from(`WorkloadEntry/shop/we-${seq}`).toString('base64url')}`, body, { headers: h });
  }
  await nc.close();
}

const eventBody = (seq: number) => encodeEvent({ seq, time: '2026-01-01T00:00:00.000Z', type: 'ADDED', object: workloadEntry(seq) });

test('a second writer gets STORE_LOG_IN_USE and writes nothing; the first keeps appending', async (context) => {
  const open = opener(context, fresh());
  const first = await open();
  const second = await open();
  await first.append(addedRange(1, 2));
  const err = await failure(second.append(addedRange(3, 1)));
  assert.is(err.code, 'STORE_LOG_IN_USE');
  assert.equal(await first.append(addedRange(3, 1)), [3]);
  const reader = await open({ readOnly: true });
  assert.equal((await collect(reader.read())).map((e) => e.object.metadata.name), ['we-1', 'we-2', 'we-3']);
});

test('two writers racing from the same end: exactly one wins each seq', async (context) => {
  const open = opener(context, fresh());
  const [a, b] = [await open(), await open()];
  const results = await Promise.allSettled([a.append(addedRange(1, 5)), b.append(addedRange(101, 5))]);
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.is(won.length, 1);
  const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.is(lost.reason.code, 'STORE_LOG_IN_USE');
  const reader = await open({ readOnly: true });
  assert.is(await reader.refresh(), 5);
  assert.equal((await collect(reader.read())).map((e) => e.seq), [1, 2, 3, 4, 5]);
});

test('two writers racing with big batches, round after round: one wins each time, and the log holds its batch alone', async (context) => {
  for (let round = 0; round < 5; round++) {
    const open = opener(context, fresh());
    const [a, b] = [await open(), await open()];
    const results = await Promise.allSettled([a.append(addedRange(1, 200)), b.append(addedRange(1001, 200))]);
    assert.is(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round}: one writer wins`);
    const winner = results[0]!.status === 'fulfilled' ? 1 : 1001;
    const reader = await open({ readOnly: true });
    assert.is(await reader.refresh(), 200);
    const names = (await collect(reader.read())).map((e) => e.object.metadata.name);
    assert.equal(names, addedRange(winner, 200).map((e) => e.object.metadata.name), `round ${round}: no message of the other writer`);
  }
});

test('a reader on another connection follows a writer: refresh and a live tail', async (context) => {
  const open = opener(context, fresh());
  const writer = await open();
  await writer.append(addedRange(1, 2));
  const reader = await open({ readOnly: true });
  assert.is(reader.capabilities.sharedReaders, true);
  const tailed = firstValueFrom(reader.tail(1).pipe(take(5), timeout({ each: 5000 }), toArray()));
  await writer.append(addedRange(3, 3));
  assert.equal((await tailed).map((e) => e.seq), [1, 2, 3, 4, 5]);
  assert.is(await reader.refresh(), 5);
  assert.equal(await reader.seqsOf('WorkloadEntry/shop/we-4'), [4]);
});

test('a read-only open of a stream that does not exist is STORE_NOT_FOUND', async (context) => {
  assert.is((await failure(opener(context, fresh())({ readOnly: true }))).code, 'STORE_NOT_FOUND');
});

test('a message whose body was changed is STORE_CORRUPT_VALUE naming its seq, after the sound ones', async (context) => {
  const stream = fresh();
  const open = opener(context, stream);
  await (await open()).append(addedRange(1, 1));
  const body = eventBody(2);
  body[body.length - 3]! ^= 0x01;
  await publishRaw(context.server.url, stream, [{ seq: 2, batch: '2-2', body }]);
  const reader = await open({ readOnly: true });
  const yielded: number[] = [];
  const err = await failure(async () => { for await (const e of reader.read()) yielded.push(e.seq); });
  assert.is(err.code, 'STORE_CORRUPT_VALUE');
  assert.is(err.details.seq, 2);
  assert.equal(yielded, [1]);
});

test('messages lost from the stream are STORE_CORRUPT_MISSING naming the whole gap, in a short range read by direct gets and in a long one read by a consumer', async (context) => {
  const stream = fresh();
  const open = opener(context, stream);
  const writer = await open();
  for (let first = 1; first <= 2500; first += 500) await writer.append(addedRange(first, 500));
  // Seqs 5 and 6 (objects we-5 and we-6, each on its own subject) are lost.
  const nc = await connect({ servers: context.server.url });
  const jsm = await nc.jetstreamManager();
  for (const name of ['we-5', 'we-6']) {
    const subject = `meshfold.${stream}.ev.${Buffer.from(`WorkloadEntry/shop/${name}`).toString('base64url')}`;
    const stored = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    await jsm.streams.deleteMessage(stream, stored.seq, false);
  }
  await nc.close();
  const reader = await open({ readOnly: true });
  for (const to of [10, 2500]) {
    const yielded: number[] = [];
    const err = await failure(async () => { for await (const e of reader.read({ from: 1, to })) yielded.push(e.seq); });
    assert.is(err.code, 'STORE_CORRUPT_MISSING', `1..${to}`);
    assert.equal([err.details.seq, err.details.to], [5, 6], `1..${to}: the gap, whole`);
    assert.equal(yielded, [1, 2, 3, 4], `1..${to}: the events before the gap are read`);
  }
  assert.equal((await collect(reader.read({ from: 7, to: 12 }))).map((e) => e.seq), [7, 8, 9, 10, 11, 12], 'a range after the gap reads');
});

test('a batch a dead writer left unfinished is invisible, and the next writer voids it and reuses its seqs', async (context) => {
  const stream = fresh();
  const open = opener(context, stream);
  const first = await open();
  await first.append(addedRange(1, 1));
  await first.close();
  // Two of a three-event batch reached the stream before its writer died.
  await publishRaw(context.server.url, stream, [{ seq: 2, batch: '2-4', body: eventBody(2) }, { seq: 3, batch: '2-4', body: eventBody(3) }]);
  const reader = await open({ readOnly: true });
  assert.is(reader.lastSeq, 1);
  assert.equal((await collect(reader.read())).map((e) => e.seq), [1]);
  assert.equal(await reader.identities('WorkloadEntry/'), ['WorkloadEntry/shop/we-1'], 'an object only in the unfinished batch is not listed');
  // A writer while that batch may still be finishing is refused; once it is old, it is voided.
  assert.is((await failure(open())).code, 'STORE_LOG_IN_USE');
  const next = await open({ abandonedBatchMs: 0 });
  assert.is(next.lastSeq, 1);
  assert.equal(await next.append(addedRange(20, 2)), [2, 3]);
  assert.equal((await collect(next.read())).map((e) => e.object.metadata.name), ['we-1', 'we-20', 'we-21']);
  assert.equal(await next.seqsOf('WorkloadEntry/shop/we-20'), [2]);
  assert.is((await next.get(3))!.object.metadata.name, 'we-21');
  const later = await open({ readOnly: true });
  assert.is(later.lastSeq, 3);
  assert.equal((await collect(later.read())).map((e) => e.object.metadata.name), ['we-1', 'we-20', 'we-21']);
  assert.equal(await later.identities('WorkloadEntry/'), ['WorkloadEntry/shop/we-1', 'WorkloadEntry/shop/we-20', 'WorkloadEntry/shop/we-21'], 'objects only in the voided batch are not listed');
});

test('EventLog.open takes a nats:// location', async (context) => {
  const log = await EventLog.open(`${context.server.url}/${fresh()}`);
  context.logs.push(log);
  assert.equal(log.capabilities, { backend: 'jetstream', durable: true, sharedReaders: true, derivedIndexes: false, localReads: false });
  assert.equal(await log.append(addedRange(1, 1)), [1]);
});

test('a closed log leaves no timer behind that would keep its process alive (a CLI command exits once done)', async (context) => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const log = await JetStreamEventLog.open({ servers: [context.server.url], stream: fresh() });
  await log.append(addedRange(1, 2));
  await log.close();
  // The resources of the close itself are let go on the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(timers() <= before, `${timers()} timers after close, ${before} before open`);
});

test.run();
