import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { onIdle } from '../src/recording/onIdle.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('what onIdle passed on is not kept while it waits on a stop that has not come (a recording holds no input it read)', async () => {
  const refs: WeakRef<object>[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  async function* source() {
    for (let i = 0; i < 50; i++) yield { chunk: new Array(1000).fill(i) };
    await held; // the stream stays open: the recording goes on
  }
  const stop = new Promise<never>(() => {});
  const iterator = onIdle(source(), 1000, () => {}, stop)[Symbol.asyncIterator]();
  for (let i = 0; i < 50; i++) {
    const { value } = await iterator.next();
    refs.push(new WeakRef(value as object));
  }
  const rest = iterator.next();
  await collect();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  assert.ok(alive <= 2, `${alive} of the 50 items passed on are still reachable`);
  release();
  assert.is((await rest).done, true);
});

test('onIdle ends at once when the stop comes while the source waits', async () => {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  async function* source() {
    yield 1;
    await new Promise(() => {}); // never more
  }
  const seen: number[] = [];
  const done = (async () => { for await (const x of onIdle(source(), 1000, () => {}, stopped)) seen.push(x); })();
  await new Promise((resolve) => setTimeout(resolve, 20));
  stop();
  await done;
  assert.equal(seen, [1]);
});

test.run();
