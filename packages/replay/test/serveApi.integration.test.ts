import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EventLog, ProjectedLog } from '@meshfold/store';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StateCache } from '../src/queries/StateCache.js';
import { startInspector, type Inspector } from '../src/serve/startInspector.js';
import { runCli } from './support/cli.js';
import { cliJson, demoEvents, openEventStream, recordDemo, removeTempPaths, tempPath } from './support/inspectorFixture.js';

let dir: string;
let log: EventLog;
let inspector: Inspector;
let snapshotsBefore: unknown;
/** `-o json` of each CLI command, taken before the server holds the log (LevelDB: one opener). */
const expected = new Map<string, unknown>();

const SE = 'default/test-se';
const WE = 'default/test-we';
const FAR_FUTURE = '2999-01-01T00:00:00Z';

/** API path → the CLI arguments that must print the same JSON. */
const SAME_AS_CLI: [string, string[]][] = [
  ['/api/events', ['events']],
  ['/api/events?from=3&to=9', ['events', '--from', '3', '--to', '9']],
  ['/api/events?from=2&limit=3', ['events', '--from', '2', '--to', '4']],
  [`/api/events?to=${FAR_FUTURE}`, ['events', '--to', FAR_FUTURE]],
  ['/api/endpoints', ['endpoints']],
  ['/api/endpoints?at=7', ['endpoints', '--at', '7']],
  ['/api/endpoints?at=8&host=www.test.com', ['endpoints', '--at', '8', '--host', 'www.test.com']],
  ['/api/endpoints?at=0', ['endpoints', '--at', '0']],
  [`/api/endpoints?at=${FAR_FUTURE}`, ['endpoints', '--at', FAR_FUTURE]],
  ['/api/eds?at=7', ['endpoints', '--at', '7', '-o', 'eds']],
  ['/api/cds?at=7', ['endpoints', '--at', '7', '-o', 'cds']],
  ['/api/associations', ['associations']],
  ['/api/associations?at=7', ['associations', '--at', '7']],
  ['/api/associations?at=8', ['associations', '--at', '8']],
  ['/api/diff?from=7&to=8', ['diff', '7', '8']],
  ['/api/diff?from=0&to=11', ['diff', '0', '11']],
  ['/api/history?object=WorkloadEntry/default/test-we', ['history', 'WorkloadEntry/default/test-we']],
  ['/api/history?object=ServiceEntry/default/test-se', ['history', 'ServiceEntry/default/test-se']],
  [`/api/why?se=${SE}&we=${WE}&at=7`, ['why', SE, WE, '--at', '7']],
  [`/api/why?se=${SE}&we=${WE}&at=8`, ['why', SE, WE, '--at', '8']],
  [`/api/why?se=${SE}&we=${WE}`, ['why', SE, WE]],
];

async function getJson(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(new URL(path, inspector.url), init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

function getWithHost(path: string, host: string): Promise<{ status?: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(new URL(path, inspector.url), { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString(); }).on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

async function assertError(path: string, status: number, code: string, init: RequestInit = {}): Promise<string> {
  const r = await getJson(path, init);
  assert.is(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
  assert.is(r.body?.error?.code, code, `${path}: ${JSON.stringify(r.body)}`);
  assert.type(r.body.error.message, 'string');
  return r.body.error.message as string;
}

test.before(async () => {
  dir = await recordDemo();
  for (const [path, args] of SAME_AS_CLI) expected.set(path, await cliJson([...args, '--log', dir]));
  log = await EventLog.openDir(dir, { createIfMissing: false });
  snapshotsBefore = await log.listSnapshots();
  inspector = await startInspector(log, { port: 0, warn: () => {} });
});

test.after(async () => {
  await inspector?.close();
  await log?.close();
  await removeTempPaths();
});

test('binds 127.0.0.1 and an ephemeral port when asked for port 0', () => {
  assert.match(inspector.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(inspector.port > 0);
});

test('every API answer equals the CLI\'s -o json for the same arguments', async () => {
  for (const [path] of SAME_AS_CLI) {
    const r = await getJson(path);
    assert.is(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.body, expected.get(path), path);
  }
});

test('the demo relabel: test-se → test-we at seq 7, gone at seq 8', async () => {
  const at7 = await getJson('/api/associations?at=7');
  const at8 = await getJson('/api/associations?at=8');
  const pair = { serviceEntry: SE, workloadEntry: WE };
  assert.ok(at7.body.associations.some((a: object) => JSON.stringify(a) === JSON.stringify(pair)));
  assert.not.ok(at8.body.associations.some((a: object) => JSON.stringify(a) === JSON.stringify(pair)));
});

test('/api/events pages: limit defaults to 500, at most 5000; `to` says where the page stops', async () => {
  const page = await getJson('/api/events?from=10&limit=5');
  assert.equal([page.body.from, page.body.to, page.body.events.map((e: { seq: number }) => e.seq)], [10, 11, [10, 11]]);
  assert.is((await getJson('/api/events?limit=5000')).status, 200);
  await assertError('/api/events?limit=5001', 400, 'CLI_USAGE');
  await assertError('/api/events?limit=0', 400, 'CLI_USAGE');
  await assertError('/api/events?limit=ten', 400, 'CLI_USAGE');
});

test('/api/summary: last seq and the first and last times', async () => {
  const { body } = await getJson('/api/summary');
  const events = (expected.get('/api/events') as { events: { time: string }[] }).events;
  assert.equal(body, { lastSeq: 11, firstTime: events[0]!.time, lastTime: events.at(-1)!.time, follow: false });
});

test('bad parameters are 400 with a coded error', async () => {
  const message = await assertError('/api/endpoints?at=abc', 400, 'CLI_USAGE');
  assert.match(message, /at "abc" is neither a seq nor an RFC 3339 time/);
  assert.match(await assertError('/api/associations?at=12', 400, 'CLI_USAGE'), /past the end of the log \(last seq 11\)/);
  await assertError('/api/diff?from=1&to=x', 400, 'CLI_USAGE');
  await assertError('/api/why?se=default/test-se', 400, 'CLI_USAGE');
  await assertError('/api/history?object=Pod/default/x', 400, 'CLI_USAGE');
  await assertError('/api/history', 400, 'CLI_USAGE');
  assert.match(await assertError('/api/endpoints?seq=8', 400, 'CLI_USAGE'), /unknown parameter "seq"/);
  await assertError('/api/endpoints?at=7&at=8', 400, 'CLI_USAGE');
});

test('a time without a zone, or on a day that does not exist, is 400 CLI_USAGE naming the parameter, not a server failure', async () => {
  const cases: [string, string][] = [
    ['/api/endpoints?at=2024-01-01T00:00:00', 'at "2024-01-01T00:00:00"'],
    ['/api/eds?at=2024-01-01T00:00:00', 'at "2024-01-01T00:00:00"'],
    ['/api/associations?at=2024-02-30T00:00:00Z', 'at "2024-02-30T00:00:00Z"'],
    [`/api/why?se=${SE}&we=${WE}&at=2024-01-01T00:00:00`, 'at "2024-01-01T00:00:00"'],
    ['/api/diff?from=2024-01-01T00:00:00&to=8', 'from "2024-01-01T00:00:00"'],
    ['/api/events?to=2024-01-01T00:00:00', 'to "2024-01-01T00:00:00"'],
  ];
  for (const [path, named] of cases) {
    const message = await assertError(path, 400, 'CLI_USAGE');
    assert.ok(message.startsWith(`${named} is neither a seq nor an RFC 3339 time`), `${path}: ${message}`);
    assert.match(message, 'Z or +HH:MM', `the message states the rule: ${message}`);
  }
});

test('unknown paths are 404, other methods than GET/HEAD 405, foreign Host names 403', async () => {
  await assertError('/api/nope', 404, 'SERVE_NOT_FOUND');
  await assertError('/etc/passwd', 404, 'SERVE_NOT_FOUND');
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const message = await assertError('/api/events', 405, 'SERVE_METHOD_NOT_ALLOWED', { method, body: method === 'DELETE' ? null : '{}' });
    assert.match(message, /read-only/);
  }
  const allow = await fetch(new URL('/api/summary', inspector.url), { method: 'POST' });
  assert.is(allow.headers.get('allow'), 'GET, HEAD');
  // A DNS-rebinding page reaches 127.0.0.1 under its own name (fetch may not set Host itself).
  const rebound = await getWithHost('/api/summary', 'attacker.example');
  assert.is(rebound.status, 403);
  assert.is(JSON.parse(rebound.body).error.code, 'SERVE_FORBIDDEN_HOST');
  assert.is((await getWithHost('/api/summary', `localhost:${inspector.port}`)).status, 200);
  await assertError('/api/stream', 404, 'SERVE_NOT_FOLLOWING');
});

test('HEAD answers like GET without a body', async () => {
  const r = await fetch(new URL('/api/associations?at=7', inspector.url), { method: 'HEAD' });
  assert.is(r.status, 200);
  assert.is(await r.text(), '');
});

test('the page and its bundle are served from this server, with a CSP allowing nothing else', async () => {
  const page = await fetch(inspector.url);
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const html = await page.text();
  assert.match(html, /<script type="module" src="\/app.js">/);
  assert.not.match(html, /https?:\/\//, 'nothing fetched from elsewhere');
  const app = await fetch(new URL('/app.js', inspector.url));
  assert.is(app.status, 200);
  assert.match(app.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.ok((await app.text()).includes('data-testid'));
  assert.is((await fetch(new URL('/style.css', inspector.url))).status, 200);
});

test('serving writes nothing to the log', async () => {
  assert.is(log.lastSeq, 11);
  assert.equal(await log.listSnapshots(), snapshotsBefore);
});

test('StateCache: a scrub forward replays only the events after the cached state', async () => {
  const memory = await EventLog.openMemory();
  await memory.append(await demoEvents());
  const cache = new StateCache(memory, { size: 2 });
  await cache.stateAt(5);
  const reads: unknown[] = [];
  const readEncodedBatches = memory.readEncodedBatches.bind(memory);
  memory.readEncodedBatches = (range) => { reads.push(range); return readEncodedBatches(range); };
  const at9 = await cache.stateAt(9);
  assert.equal(reads, [{ from: 6, to: 9 }]);
  assert.is(at9.seq, 9);
  assert.is(await cache.stateAt(9), at9, 'the same seq is served from the cache');
  assert.is(reads.length, 1);
  await cache.stateAt(2);
  assert.equal(cache.seqs, [9, 2], 'the least recently used state is dropped');
  await memory.close();
});

test('--follow: an event appended in this process arrives on /api/stream; Last-Event-ID resumes', async () => {
  const memory = await EventLog.openMemory();
  const projected = await ProjectedLog.open(memory);
  const [se, we, , , , , , relabel] = await demoEvents();
  await projected.record([se!, we!]);
  const live = await startInspector(memory, { port: 0, follow: true, warn: () => {} });
  try {
    const stream = await openEventStream(new URL('/api/stream', live.url).href);
    assert.is(stream.response.statusCode, 200);
    assert.match(stream.response.headers['content-type'] ?? '', /^text\/event-stream/);
    await projected.record([relabel!]);
    const message = await stream.next();
    assert.is(message.event, 'event');
    assert.is(message.id, '3');
    const event = JSON.parse(message.data);
    assert.equal([event.seq, event.type, event.object.metadata.name], [3, 'MODIFIED', 'test-we']);
    assert.equal(event, (await (await fetch(new URL('/api/events?from=3', live.url))).json()).events[0], 'the /api/events item');
    const associations = await (await fetch(new URL('/api/associations', live.url))).json();
    assert.equal(associations, { seq: 3, associations: [] }, 'queries see the new event at once');
    stream.close();

    const resumed = await openEventStream(new URL('/api/stream', live.url).href, { 'last-event-id': '1' });
    assert.equal([(await resumed.next()).id, (await resumed.next()).id], ['2', '3']);
    resumed.close();
  } finally {
    await live.close();
    await memory.close();
  }
});

test('record --serve: a watch event written to stdin reaches the page\'s stream while recording', async () => {
  const logDir = `${await tempPath('meshfold-record-serve-')}/log`;
  const bin = fileURLToPath(new URL('../../bin/meshfold.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'record', '--serve', '--port', '0', '--log', logDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      const m = /inspector at (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`record --serve exited early: ${stderr}`)));
  });
  try {
    const stream = await openEventStream(new URL('/api/stream', url).href);
    const [se] = await demoEvents();
    // stdin stays open, like a kubectl watch: the event must be appended without waiting for more.
    child.stdin.write(`${JSON.stringify(se)}\n`);
    const message = await stream.next();
    assert.is(JSON.parse(message.data).object.metadata.name, 'test-se');
    assert.is((await (await fetch(new URL('/api/summary', url))).json()).lastSeq, 1);
    stream.close();
    child.stdin.end();
    await waitFor(() => /input ended; still serving/.test(stderr));
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.is(code, 0, stderr);
  assert.match(stdout, /^recorded 1 event \(seq 1\.\.1\); rejected 0; skipped 0$/m);
});

test('a Last-Event-ID past any seq is 400 CLI_USAGE, not a server failure', async () => {
  const memory = await EventLog.openMemory();
  const live = await startInspector(memory, { port: 0, follow: true, warn: () => {} });
  try {
    for (const id of ['99999999999999999999', '9007199254740991', 'abc']) {
      const r = await fetch(new URL('/api/stream', live.url), { headers: { 'last-event-id': id } });
      assert.is(r.status, 400, id);
      assert.is(((await r.json()) as { error: { code: string } }).error.code, 'CLI_USAGE', id);
    }
  } finally {
    await live.close();
    await memory.close();
  }
});

test('a non-loopback --host is refused without --expose (exit 2, nothing bound)', async () => {
  for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
    const r = await runCli(['serve', '--log', dir, '--port', '0', '--host', host]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /^CLI_USAGE: .*--expose/);
  }
});

test('with --expose the inspector binds as asked and warns that the log is served unauthenticated', async () => {
  const memory = await EventLog.openMemory();
  const warnings: string[] = [];
  const exposed = await startInspector(memory, { port: 0, host: '0.0.0.0', warn: (t) => warnings.push(t) });
  try {
    assert.match(warnings.join(''), /serves the whole log, without authentication/);
    const r = await fetch(`http://127.0.0.1:${exposed.port}/api/summary`);
    assert.is(r.status, 200);
  } finally {
    await exposed.close();
    await memory.close();
  }
});

test('connections past the cap are closed; the inspector keeps serving the ones it holds', async () => {
  const memory = await EventLog.openMemory();
  const live = await startInspector(memory, { port: 0, warn: () => {} });
  const sockets: Socket[] = [];
  try {
    const closedEarly: boolean[] = [];
    for (let i = 0; i < 300; i++) {
      const socket = connect(live.port, '127.0.0.1');
      const index = i;
      socket.on('error', () => {}).on('close', () => { closedEarly[index] = true; });
      await new Promise((resolve) => socket.once('connect', resolve));
      sockets.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = closedEarly.filter(Boolean).length;
    assert.ok(refused >= 300 - 256 && refused < 300, `${refused} of 300 connections closed`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await live.close();
    await memory.close();
  }
});

test('a stream client that stops reading is cut once its backlog passes the bound: its socket is destroyed, not kept', async () => {
  const memory = await EventLog.openMemory();
  const live = await startInspector(memory, { port: 0, follow: true, warn: () => {} });
  const socket = connect(live.port, '127.0.0.1');
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${live.port}\r\n\r\n`);
    socket.pause(); // reads nothing from here on
    await waitFor(() => live.streamCount === 1);
    const object = { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { namespace: 'ns' }, spec: { address: '10.0.0.1', labels: { pad: 'x'.repeat(60) } } };
    // Far more than the kernel's socket buffers and the server's own bound together.
    for (let batch = 0; batch < 200 && live.streamCount > 0; batch++) {
      await memory.append(Array.from({ length: 500 }, (_, i) => ({ type: 'ADDED' as const, object: { ...object, metadata: { ...object.metadata, name: `w-${batch}-${i}` } } })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => live.streamCount === 0, 10_000);
  } finally {
    socket.destroy();
    await live.close();
    await memory.close();
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
  }
}

test.run();
