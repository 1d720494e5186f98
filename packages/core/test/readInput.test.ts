import { createReadStream, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readInput, readInputBatches, type InputItem, type ReadInputOptions } from '../src/index.js';

// Compiled tests run from dist/test: fixtures are found from the package root.
const FIXTURES = new URL('../../test/fixtures/input/', import.meta.url);
const fixtureUrl = (name: string) => new URL(name, FIXTURES);
const fixtureText = (name: string) => readFileSync(fixtureUrl(name), 'utf8');

async function collect(items: AsyncIterable<InputItem>): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Reads a fixture through a real file stream (Buffers), as `meshfold record FILE` does. */
function readFixture(name: string, opts: Partial<ReadInputOptions> = {}): Promise<InputItem[]> {
  return collect(readInput(createReadStream(fixtureUrl(name)), { source: name, ...opts }));
}

async function* chunked(data: Buffer, sizes: () => number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length;) {
    const size = sizes();
    yield data.subarray(at, at + size);
    at += size;
  }
}

function readChunks(data: string | Buffer, sizes: () => number, opts: Partial<ReadInputOptions> = {}) {
  return collect(readInput(chunked(Buffer.from(data), sizes), { source: 'test', ...opts }));
}

function readText(text: string, opts: Partial<ReadInputOptions> = {}) {
  return readChunks(text, () => text.length || 1, opts);
}

/** Deterministic chunk sizes between 1 and `max` (a small linear congruential generator). */
function randomSizes(seed: number, max: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % max);
  };
}

/** One line per item: `ADDED WorkloadEntry shop/vm-1` or `#2 INPUT_MALFORMED`. */
function summary(items: InputItem[]): string[] {
  return items.map((item) => {
    const at = `#${item.index}${item.item === undefined ? '' : `.${item.item}`}`;
    if (item.skipped) return `${at} skipped ${item.skipped.code}`;
    if (item.error) return `${at} ${item.error.code}`;
    const { type, object } = item.event!;
    return `${type} ${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
  });
}

const WATCH_EVENTS = [
  'ADDED ServiceEntry shop/payments',
  'ADDED WorkloadEntry shop/vm-1',
  'ADDED WorkloadEntry shop/vm-2',
  'MODIFIED WorkloadEntry shop/vm-1',
  'DELETED WorkloadEntry shop/vm-2',
];

test('a pretty-printed kubectl watch stream gives its events in order, objects as printed', async () => {
  const items = await readFixture('watch-pretty.json');
  assert.equal(summary(items), WATCH_EVENTS);
  assert.equal(items.map((i) => i.index), [0, 1, 2, 3, 4]);
  assert.equal(items.map((i) => i.line), [1, 39, 65, 91, 117]);
  const first = items[0]!.event!.object;
  assert.is(first.apiVersion, 'networking.istio.io/v1');
  assert.equal((first.metadata.annotations as Record<string, string>)['meshfold.dev/note'], 'café → payments');
  assert.equal(items[2]!.event!.object.apiVersion, 'networking.istio.io/v1beta1');
});

test('NDJSON gives the same events as the pretty-printed stream', async () => {
  const ndjson = await readFixture('watch.ndjson');
  const pretty = await readFixture('watch-pretty.json');
  assert.equal(ndjson.map((i) => i.event), pretty.map((i) => i.event));
  assert.equal(ndjson.map((i) => i.line), [1, 2, 3, 4, 5]);
});

test('a List gives one event per item, with the list document index and the item position', async () => {
  const items = await readFixture('list.json');
  assert.equal(summary(items), [
    'ADDED ServiceEntry shop/payments', 'ADDED WorkloadEntry shop/vm-1', 'ADDED WorkloadEntry shop/vm-2',
  ]);
  assert.equal(items.map((i) => [i.index, i.item]), [[0, 0], [0, 1], [0, 2]]);
});

test('multi-document YAML: the valid documents come through and the invalid one is reported with its index', async () => {
  const items = await readFixture('multi-doc-invalid.yaml');
  assert.equal(summary(items), [
    'ADDED ServiceEntry shop/payments', '#1 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/vm-2',
  ]);
  const message = items[1]!.error!.message;
  assert.ok(message.startsWith('multi-doc-invalid.yaml: document 1 (line 20): invalid YAML: '), message);
  assert.match(message, /Flow map/);
  assert.match(message, /at line 27, column 1/);
  assert.is(items[2]!.index, 2, 'the empty document between them is not counted');
});

test('garbage between objects is reported once and the object after it is kept', async () => {
  const items = await readFixture('garbage-between.json');
  assert.equal(summary(items), ['ADDED ServiceEntry shop/payments', '#1 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/vm-1']);
  assert.match(items[1]!.error!.message, /^garbage-between\.json: document 1 \(line 39\): unexpected text between JSON values/);
  assert.match(items[1]!.error!.message, /E0502 10:42:13/);
});

test('binary bytes between NDJSON objects do not lose the objects after them', async () => {
  const [first, second] = fixtureText('watch.ndjson').split('\n');
  const data = Buffer.concat([
    Buffer.from(`${first}\n`), Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x80, 0x0a]), Buffer.from(`${second}\n`),
  ]);
  const items = await readChunks(data, () => 7);
  assert.equal(summary(items), ['ADDED ServiceEntry shop/payments', '#1 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/vm-1']);
});

test('an object cut off by a killed kubectl is reported and the events printed after it are kept', async () => {
  const items = await readFixture('watch-truncated.json');
  assert.equal(summary(items), [
    'ADDED ServiceEntry shop/payments', '#1 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/vm-1', 'ADDED WorkloadEntry shop/vm-2',
  ]);
  assert.is(items[1]!.line, 39);
  assert.is(items[2]!.line, 45);
});

test('an object cut off inside a string resumes at the next object that starts a line', async () => {
  const [first, second] = fixtureText('watch.ndjson').split('\n');
  const items = await readText(`${first!.slice(0, 120)}\n${second}\n`);
  assert.equal(summary(items), ['#0 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/vm-1']);
  assert.match(items[0]!.error!.message, /^test: document 0 \(line 1\): invalid JSON: /);
});

test('a value that closes but does not parse is reported with the parser reason, and reading goes on', async () => {
  const [first] = fixtureText('watch.ndjson').split('\n');
  const items = await readText(`{"type": "ADDED", "object": {"kind": tru}}\n${first}\n`);
  assert.equal(summary(items), ['#0 INPUT_MALFORMED', 'ADDED ServiceEntry shop/payments']);
  assert.match(items[0]!.error!.message, /^test: document 0 \(line 1\): invalid JSON: Unexpected token '}'/);
});

test('input that ends inside an object is reported once', async () => {
  const items = await readText('{"type": "ADDED", "object": {"kind": "ServiceEntry"');
  assert.equal(summary(items), ['#0 INPUT_MALFORMED']);
});

test('an empty file, or only blank lines, gives no items', async () => {
  assert.equal(await readFixture('empty.json'), []);
  assert.equal(await readText('\n  \n\t\r\n'), []);
});

test('a Kubernetes v1/Service among Istio objects is skipped as an unsupported kind, by position', async () => {
  const items = await readFixture('mixed-kinds.yaml');
  assert.equal(summary(items), ['ADDED ServiceEntry shop/payments', '#1 skipped INPUT_UNSUPPORTED_KIND', 'ADDED WorkloadEntry shop/vm-1']);
  assert.is(
    items[1]!.skipped!.message,
    'mixed-kinds.yaml: document 1 (line 12): unsupported kind Service (apiVersion v1) "shop/payments"; '
      + 'only ServiceEntry and WorkloadEntry of networking.istio.io v1alpha3, v1beta1, v1 are recorded',
  );
});

test('other kinds are skipped; ServiceEntries of an unknown version, objects without kind and non-objects are rejected', async () => {
  const items = await readText([
    '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
    '{"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "d"}}',
    '{"apiVersion": "networking.istio.io/v2", "kind": "ServiceEntry", "metadata": {"name": "s"}}',
    '{"kind": "ServiceEntry", "metadata": {"name": "s"}}',
    '{"type": "ADDED", "object": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}}',
    '42',
    '{"apiVersion": "v1", "kind": "List", "items": ["x"]}',
  ].join('\n'));
  assert.equal(summary(items), [
    '#0 skipped INPUT_UNSUPPORTED_KIND', '#1 skipped INPUT_UNSUPPORTED_KIND', '#2 INPUT_UNSUPPORTED_KIND', '#3 INPUT_UNSUPPORTED_KIND',
    '#4 skipped INPUT_UNSUPPORTED_KIND', '#5 INPUT_UNSUPPORTED_KIND', '#6.0 INPUT_UNSUPPORTED_KIND',
  ]);
  assert.match(items[3]!.error!.message, /has no apiVersion/);
  assert.match(items[5]!.error!.message, /a number is not a Kubernetes object/);
  assert.match(items[6]!.error!.message, /^test: document 6, item 0 \(line 7\): a string is not/);
});

test('--delete records plain objects and List items as deletions; watch events keep their type', async () => {
  assert.equal(summary(await readFixture('mixed-kinds.yaml', { delete: true })), [
    'DELETED ServiceEntry shop/payments', '#1 skipped INPUT_UNSUPPORTED_KIND', 'DELETED WorkloadEntry shop/vm-1',
  ]);
  assert.equal(summary(await readFixture('list.json', { delete: true })), [
    'DELETED ServiceEntry shop/payments', 'DELETED WorkloadEntry shop/vm-1', 'DELETED WorkloadEntry shop/vm-2',
  ]);
  assert.equal(summary(await readFixture('watch-pretty.json', { delete: true })), WATCH_EVENTS);
});

test('watch BOOKMARK events are skipped and ERROR events are reported with the status', async () => {
  const items = await readText([
    '{"type":"BOOKMARK","object":{"kind":"ServiceEntry","apiVersion":"networking.istio.io/v1","metadata":{"resourceVersion":"12"}}}',
    '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 12 (48)","reason":"Expired","code":410}}',
    '{"type":"SYNC","object":{}}',
  ].join('\n'));
  assert.equal(summary(items), ['#1 INPUT_MALFORMED', '#2 INPUT_MALFORMED']);
  assert.is(items[0]!.error!.message, 'test: document 1 (line 2): the watch reported an error: Expired: too old resource version: 12 (48) (code 410)');
});

test('a top-level JSON array: each element is a document', async () => {
  const [a, b] = fixtureText('watch.ndjson').split('\n');
  const items = await readText(`[\n  ${a},\n  ${b},\n  "x"\n]\n`);
  assert.equal(summary(items), ['ADDED ServiceEntry shop/payments', 'ADDED WorkloadEntry shop/vm-1', '#2 INPUT_UNSUPPORTED_KIND']);
  assert.equal(summary(await readText(`[${a}`)), ['ADDED ServiceEntry shop/payments', '#1 INPUT_MALFORMED']);
});

test('items of a typed list (ServiceEntryList) take kind and apiVersion from the list', async () => {
  const items = await readText(
    'apiVersion: networking.istio.io/v1\nkind: ServiceEntryList\nitems:\n- metadata: {name: a, namespace: shop}\n  spec: {hosts: [a.example]}\n',
  );
  assert.equal(summary(items), ['ADDED ServiceEntry shop/a']);
  assert.is(items[0]!.event!.object.apiVersion, 'networking.istio.io/v1');
});

test('a document longer than the limit is reported and skipped; the next one is read', async () => {
  const [a, b] = fixtureText('watch.ndjson').split('\n');
  const huge = `{"type":"ADDED","object":{"pad":"${'x'.repeat(5000)}"}}`;
  const json = await readChunks(`${a}\n${huge}\n${b}\n`, () => 100, { maxDocumentChars: 2000 });
  assert.equal(summary(json), ['ADDED ServiceEntry shop/payments', '#1 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/vm-1']);
  assert.match(json[1]!.error!.message, /longer than 2000 characters/);

  const doc = (name: string) => `apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: ${name}, namespace: shop}\n`;
  const yaml = await readChunks(`${doc('a')}---\npad: ${'x'.repeat(5000)}\n---\n${doc('b')}`, () => 100, { maxDocumentChars: 2000 });
  assert.equal(summary(yaml), ['ADDED WorkloadEntry shop/a', '#1 INPUT_MALFORMED', 'ADDED WorkloadEntry shop/b']);
});

test('UTF-8 after ASCII chunks: a character split between two chunks, anywhere, reads as in one chunk', async () => {
  const event = (name: string, note: string) => JSON.stringify({ type: 'ADDED', object: {
    apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
    metadata: { name, namespace: 'shop', annotations: { note } }, spec: { address: '10.0.0.1' },
  } }, null, 4);
  const data = Buffer.from(`${event('a', 'plain')}\n${event('b', 'café → 💳 payments')}\n${event('c', 'plain again')}\n`);
  const whole = await readChunks(data, () => data.length);
  assert.equal(whole.map((i) => (i.event!.object.metadata.annotations as Record<string, string>).note), ['plain', 'café → 💳 payments', 'plain again']);
  const firstNonAscii = data.findIndex((b) => b >= 0x80);
  for (let cut = firstNonAscii - 3; cut < firstNonAscii + 12; cut++) {
    // An ASCII chunk (or one ending inside the first character that is not), then three bytes
    // (cutting a character or not), then the rest.
    const plan = [cut, 3];
    const sizes = () => plan.shift() ?? data.length;
    assert.equal(await readChunks(data, sizes), whole, `cut at byte ${cut}`);
  }
});

test('chunk boundaries do not matter: 1-byte and random-sized chunks give the same items as one chunk', async () => {
  const names = [
    'watch-pretty.json', 'watch.ndjson', 'list.json', 'multi-doc-invalid.yaml', 'mixed-kinds.yaml',
    'garbage-between.json', 'watch-truncated.json',
  ];
  for (const name of names) {
    const data = readFileSync(fixtureUrl(name));
    const whole = await readChunks(data, () => data.length);
    assert.ok(whole.length >= 3, name);
    assert.equal(await readChunks(data, () => 1), whole, `${name} in 1-byte chunks`);
    for (const seed of [1, 2, 3]) {
      assert.equal(await readChunks(data, randomSizes(seed, 97)), whole, `${name} in random chunks (seed ${seed})`);
    }
  }
});

test('property: any formatting and chunking of watch events reads back the same events; a cut-off event loses no other', async () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'é', '{', '}', '[', ']', '"', '\\', '\n', ':', ',', ' ') });
  const event = fc.record({
    type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED'),
    object: fc.record({
      apiVersion: fc.constantFrom('networking.istio.io/v1alpha3', 'networking.istio.io/v1beta1', 'networking.istio.io/v1'),
      kind: fc.constantFrom('ServiceEntry', 'WorkloadEntry'),
      metadata: fc.record({ name: text, namespace: text, labels: fc.dictionary(text, text, { maxKeys: 3 }) }),
      spec: fc.record({ hosts: fc.array(text, { maxLength: 2 }), ports: fc.array(fc.record({ number: fc.nat() }), { maxLength: 2 }) }),
    }),
  });
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
  await fc.assert(fc.asyncProperty(
    fc.array(fc.tuple(event, fc.constantFrom(0, 2, 4)), { minLength: 2, maxLength: 5 }),
    fc.option(fc.tuple(fc.nat(), fc.nat())),
    // Small chunks, or whole objects in one chunk (where the whole-object fast path applies).
    fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(1 << 20)),
    fc.nat(),
    async (events, cut, maxChunk, seed) => {
      const printed = events.map(([e, indent]) => JSON.stringify(e, null, indent));
      let expected = events.map(([e]) => plain(e));
      const lines = printed.map((_, k) => 1 + printed.slice(0, k).reduce((n, p) => n + p.split('\n').length, 0));
      let expectedLines = lines;
      if (cut) {
        const k = cut[0] % printed.length;
        printed[k] = printed[k]!.slice(0, 1 + (cut[1] % (printed[k]!.length - 1)));
        expected = expected.filter((_, i) => i !== k);
        // A cut-off object's lost lines shift the lines of those after it.
        const lost = lines[k + 1] === undefined ? 0 : lines[k + 1]! - lines[k]! - printed[k]!.split('\n').length;
        expectedLines = lines.flatMap((line, i) => (i === k ? [] : [i > k ? line - lost : line]));
      }
      const items = await readChunks(printed.map((p) => `${p}\n`).join(''), randomSizes(seed, maxChunk));
      assert.equal(items.filter((i) => i.event).map((i) => i.event), expected);
      assert.equal(items.filter((i) => i.event).map((i) => i.line), expectedLines);
      assert.is(items.filter((i) => i.error).length > 0, cut !== null);
    },
  ), { numRuns: 300 });
});

test('streams a large watch stream: 50k events generated on the fly, read one chunk at a time', async () => {
  const total = 50_000;
  async function* kubectlWatch(): AsyncGenerator<Buffer> {
    let pending: string[] = [];
    for (let n = 0; n < total; n++) {
      const event = {
        object: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'WorkloadEntry',
          metadata: { name: `vm-${n}`, namespace: `ns-${n % 100}`, resourceVersion: String(1000 + n) },
          spec: { address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, labels: { app: `app-${n % 500}` } },
        },
        type: n % 10 === 9 ? 'MODIFIED' : 'ADDED',
      };
      pending.push(`${JSON.stringify(event, null, 4)}\n`);
      if (pending.length === 64) {
        yield Buffer.from(pending.join(''));
        pending = [];
      }
    }
    if (pending.length > 0) yield Buffer.from(pending.join(''));
  }
  let count = 0;
  let modified = 0;
  let last: InputItem | undefined;
  for await (const item of readInput(kubectlWatch(), { source: 'generated' })) {
    assert.ok(item.event, item.error?.message);
    count++;
    if (item.event.type === 'MODIFIED') modified++;
    last = item;
  }
  assert.is(count, total);
  assert.is(modified, total / 10);
  assert.is(last!.index, total - 1);
  assert.is(last!.event!.object.metadata.name, `vm-${total - 1}`);
});

test('readInputBatches yields the items of readInput, chunk by chunk, never an empty batch', async () => {
  const data = readFileSync(fixtureUrl('watch-pretty.json'));
  for (const seed of [1, 2, 3]) {
    const flat = await collect(readInput(chunked(data, randomSizes(seed, 200)), { source: 'test' }));
    const batches: InputItem[][] = [];
    for await (const batch of readInputBatches(chunked(data, randomSizes(seed, 200)), { source: 'test' })) batches.push(batch);
    assert.ok(batches.length > 1);
    assert.ok(batches.every((batch) => batch.length > 0));
    assert.equal(batches.flat(), flat);
  }
});

test('keepText gives each watch event the text of its document, which parses to the same type and object; lists and plain objects get none', async () => {
  for (const name of ['watch-pretty.json', 'watch.ndjson']) {
    const items = await readFixture(name, { keepText: true });
    const events = items.filter((item) => item.event);
    assert.ok(events.length > 0);
    for (const item of events) {
      const parsed = JSON.parse(item.text!) as { type: unknown; object: unknown };
      assert.equal({ type: parsed.type, object: parsed.object }, item.event);
    }
    assert.ok((await readFixture(name)).every((item) => item.text === undefined), 'no text unless asked');
  }
  assert.ok((await readFixture('list.json', { keepText: true })).every((item) => item.text === undefined));
});

test.run();
