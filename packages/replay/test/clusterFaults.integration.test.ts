/**
 * The JetStream log on a real three-node cluster (loopback, R3 stream) while nodes crash:
 * `meshfold record` fed by a pipe and two followers, each in its own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventLog } from '@meshfold/store';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, cliOk, MESHFOLD_BIN } from './support/cli.js';
import { startNatsCluster, type NatsCluster } from './support/natsCluster.js';

const FOLLOWER = fileURLToPath(new URL('./support/follower.js', import.meta.url));

let cluster: NatsCluster;
test.before(async () => {
  cluster = await startNatsCluster();
  await cluster.ready();
});
test.after(async () => { await cluster?.stop(); });

/** A child whose stdout and stderr lines are kept, and waited for. */
interface Child {
  child: ChildProcess;
  lines: string[];
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

function start(name: string, args: string[]): Child {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.on('error', () => {});
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const wake of waiters) wake();
    });
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const line = (match: (line: string) => boolean, timeoutMs = 30_000) => new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = lines.find(match);
      if (found === undefined) return false;
      cleanup();
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${name}: no matching line after ${timeoutMs} ms; output:\n${lines.filter((l) => !l.startsWith("read ")).slice(-20).join('\n')}`)); }, timeoutMs);
    const cleanup = () => { clearTimeout(timer); waiters.delete(look); };
    if (!look()) waiters.add(look);
  });
  return { child, lines, line, exited };
}

/** The highest seq a recorder's `--verbose` output says was appended: what it acknowledged. */
function acked(recorder: Child): number {
  return Math.max(0, ...recorder.lines.map((l) => Number(/^appended seq \d+\.\.(\d+)$/.exec(l)?.[1] ?? 0)));
}

/** Event `i` as kubectl's NDJSON: a WorkloadEntry added, and every seventh one an earlier one moved. */
function event(i: number): string {
  const moved = i % 7 === 0 && i > 7;
  const n = moved ? i - 7 : i;
  return `${JSON.stringify({
    type: moved ? 'MODIFIED' : 'ADDED',
    object: {
      apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
      metadata: { name: `we-${n}`, namespace: 'shop' },
      spec: { address: `10.${moved ? 1 : 0}.${n >> 8}.${n & 255}`, labels: { app: 'cart' } },
    },
  })}\n`;
}

const SERVICE_ENTRY = `${JSON.stringify({
  type: 'ADDED',
  object: {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'cart', namespace: 'shop' },
    spec: { hosts: ['cart.shop.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'cart' } } },
  },
})}\n`;

/** Writes events `from..to` a few at a time, with pauses, so the recorder appends many small batches. */
async function feed(recorder: Child, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i += 5) {
    let chunk = '';
    for (let j = i; j <= Math.min(to, i + 4); j++) chunk += event(j);
    recorder.child.stdin!.write(chunk);
    await sleep(20);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await sleep(100);
  }
}

test('recording through the crash of a replica node and then of the stream leader loses, repeats and skips no acknowledged event; both followers end with verify\'s hash', async () => {
  const stream = `faults-${randomUUID().slice(0, 8)}`;
  const location = `${cluster.servers}/${stream}`;
  const started = Date.now();
  // The stream is created R3 by the backend's `replicas` option; the CLI then opens it as it is.
  const creator = await EventLog.openNats(location, { replicas: 3 });
  await creator.close();
  let info = await cluster.stream(stream);
  assert.is(info?.replicas?.length, 2, `R3: a leader and two replicas, got ${JSON.stringify(info)}`);
  // Snapshots too: an R1 bucket on the node that crashes would stall the recorder.
  assert.is((await cluster.stream(`OBJ_meshfold_${stream}_snapshots`))?.replicas?.length, 2);

  const children: Child[] = [];
  try {
    const followers = [start('follower 1', [FOLLOWER, location]), start('follower 2', [FOLLOWER, location])];
    children.push(...followers);
    for (const f of followers) await f.line((l) => l === 'ready');
    const recorder = start('recorder', [MESHFOLD_BIN, 'record', '--log', location, '--verbose', '--snapshot-every', '50', '-']);
    children.push(recorder);
    const total = 300;
    recorder.child.stdin!.write(SERVICE_ENTRY);
    await feed(recorder, 1, 100);
    await recorder.line(() => acked(recorder) >= 50);

    // A replica that does not lead the stream crashes: the other two are a quorum.
    info = await cluster.stream(stream);
    const follower = cluster.nodes.find((n) => n.name !== info!.leader)!;
    await follower.kill();
    await feed(recorder, 101, 200);
    await recorder.line(() => acked(recorder) >= 150);
    // Back on its store, it catches up before the leader goes: two crashed nodes of three would be no quorum.
    await follower.start();
    await waitFor('the restarted node current', async () => {
      const s = await cluster.stream(stream);
      return s?.replicas?.length === 2 && s.replicas.every((r) => r.current && !r.offline);
    });

    // The stream leader crashes mid-recording: the writer's publishes wait for a new leader.
    const leader = cluster.node((await cluster.stream(stream))!.leader!);
    await leader.kill();
    await feed(recorder, 201, total);
    recorder.child.stdin!.end();
    assert.is(await recorder.exited, 0, recorder.lines.join('\n'));
    const last = acked(recorder);
    assert.is(last, total + 1, 'every event written, and the ServiceEntry, acknowledged');
    await leader.start();

    // A read landing on the node just restarted waits for it to catch up, up to the log's failoverMs
    // (30 s by default): the CLI's default 20 s limit is shorter than that bound on a busy machine.
    const slow = { timeoutMs: 45_000 };
    const verified = (await cliOk(['verify', '--log', location], slow)).stdout;
    assert.match(verified, `ok: ${last} events (seq 1..${last})`);
    const hash = /state hash (\w+)/.exec(verified)![1]!;
    // Each event once, in the order written: nothing lost, nothing repeated by a retried publish.
    const { events } = await cliJson<{ events: { seq: number; type: string; object: { metadata: { name: string } } }[] }>(['events', '--log', location, '-o', 'json'], slow);
    assert.equal(events.map((e) => e.seq), Array.from({ length: last }, (_, i) => i + 1));
    const written = [SERVICE_ENTRY, ...Array.from({ length: total }, (_, i) => event(i + 1))].map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } });
    assert.equal(events.map((e) => `${e.type} ${e.object.metadata.name}`), written.map((e) => `${e.type} ${e.object.metadata.name}`));

    for (const f of followers) f.child.stdin!.write(`until ${last}\n`);
    for (const f of followers) assert.is(await f.line((l) => /^(done|bad|error) /.test(l)), `done ${last} ${hash}`);
    console.log(`cluster faults: ${last} events, 2 node crashes, ${Date.now() - started} ms`);
  } finally {
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    // Whole again for the next test, whatever failed here.
    for (const node of cluster.nodes) if (!node.running) await node.start();
  }
});

test('a reader served by a replica still catching up after its restart reads what the leader committed, not a gap', async () => {
  await cluster.ready();
  const event = (i: number) => ({
    type: 'ADDED' as const,
    object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: `we-${i}`, namespace: 'shop' }, spec: { address: `10.0.${i >> 8}.${i & 255}`, labels: { app: 'cart' } } },
  });
  // A reader pinned to the restarted node is served by its replica: direct gets prefer the local
  // one, and the read consumer lands there often. Several rounds, since where it lands is the server's choice.
  for (let round = 0; round < 4; round++) {
    const stream = `lagging-${randomUUID().slice(0, 8)}`;
    const writer = await EventLog.openNats(`${cluster.servers}/${stream}`, { replicas: 3 });
    const readers: EventLog[] = [];
    let n = 0;
    try {
      await writer.append(Array.from({ length: 500 }, () => event(++n)));
      const leader = (await cluster.stream(stream))!.leader;
      const replica = cluster.nodes.find((node) => node.name !== leader)!;
      await replica.kill();
      for (let b = 0; b < 20; b++) await writer.append(Array.from({ length: 500 }, () => event(++n)));
      await replica.start();
      // As soon as the node answers at all: it may not even have JetStream up yet.
      await waitFor('a reader on the restarted node', async () => {
        try {
          readers.push(await EventLog.open(`nats://127.0.0.1:${replica.port}/${stream}`, { readOnly: true }));
          return true;
        } catch {
          return false;
        }
      });
      const reader = readers[0]!;
      const [count, newest, seqs, lastOf] = await Promise.all([
        (async () => { let c = 0; for await (const batch of reader.readBatches()) c += batch.length; return c; })(),
        reader.getMany([n - 1, n]),
        reader.seqsOf(`WorkloadEntry/shop/we-${n}`),
        reader.lastSeqOf(`WorkloadEntry/shop/we-${n - 1}`),
      ]);
      assert.is(reader.lastSeq, n, `round ${round}: the committed end`);
      assert.is(count, n, `round ${round}: every event read, none reported missing`);
      assert.equal(newest.map((e) => e.seq), [n - 1, n]);
      assert.equal(seqs, [n]);
      assert.is(lastOf, n - 1);
    } finally {
      for (const r of readers) await r.close();
      await writer.close();
      await cluster.ready(30_000);
    }
  }
});

test('two recorders racing on one stream: exactly one records, the other stops with STORE_LOG_IN_USE', async () => {
  await cluster.ready();
  const location = `${cluster.servers}/race-${randomUUID().slice(0, 8)}`;
  const recorders = ['a', 'b'].map((name) => start(`recorder ${name}`, [MESHFOLD_BIN, 'record', '--log', location, '--verbose', '-']));
  try {
    // One event each per round, each round appended before the next: whichever opened or
    // appended second holds a stale end of the stream by its second append at the latest.
    const refused = (r: Child) => r.lines.some((l) => l.includes('STORE_LOG_IN_USE'));
    for (let round = 1; round <= 3 && !recorders.some(refused); round++) {
      await Promise.all(recorders.map(async (r, k) => {
        const answers = r.lines.filter((l) => /^appended seq|STORE_LOG_IN_USE/.test(l)).length;
        r.child.stdin!.write(event(k * 100 + round));
        await r.line(() => r.lines.filter((l) => /^appended seq|STORE_LOG_IN_USE/.test(l)).length > answers);
      }));
    }
    for (const r of recorders) r.child.stdin!.end();
    const codes = await Promise.all(recorders.map((r) => r.exited));
    assert.equal(codes.filter((c) => c === 0).length, 1, recorders.map((r) => r.lines.join('\n')).join('\n---\n'));
    const loser = recorders[codes.indexOf(0) === 0 ? 1 : 0]!;
    assert.ok(loser.lines.some((l) => l.includes('STORE_LOG_IN_USE')), loser.lines.join('\n'));
    // What the log holds is exactly what the two acknowledged, each seq once.
    const { events } = await cliJson<{ events: { seq: number }[] }>(['events', '--log', location, '-o', 'json']);
    assert.equal(events.map((e) => e.seq), Array.from({ length: Math.max(acked(recorders[0]!), acked(recorders[1]!)) }, (_, i) => i + 1));
  } finally {
    for (const r of recorders) r.child.kill('SIGKILL');
    await Promise.all(recorders.map((r) => r.exited));
  }
});

test.run();
