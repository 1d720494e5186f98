import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JetStreamEventLog } from '../src/index.js';
import { freePort, NATS_SERVER, startNatsServer, type NatsServer } from './support/natsServer.js';
import { addedRange, failure } from './support/watchEvents.js';

/**
 * The nodes of a three-node cluster, started one at a time: a lone node of it has no meta
 * leader (no quorum), as a cluster that was just started has none yet.
 */
async function clusterNodes(dir: string) {
  const routes = [await freePort(), await freePort(), await freePort()];
  const start = (i: number) => startNatsServer([
    '--cluster', `nats://127.0.0.1:${routes[i]}`, '--routes', routes.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`).join(','),
    '--cluster_name', 'meshfold-leaderless', '--server_name', `n${i + 1}`,
  ], join(dir, `n${i + 1}`));
  return { start };
}

test('opening waits for a cluster that has no meta leader yet to elect one, then works', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshfold-leaderless-'));
  const servers: NatsServer[] = [];
  try {
    const nodes = await clusterNodes(dir);
    servers.push(await nodes.start(0));
    const opening = JetStreamEventLog.open({ servers: [servers[0]!.url], stream: 'leaderless' }, { replicas: 3 });
    // Its failure is the test's, awaited below; not an unhandled rejection meanwhile.
    opening.catch(() => {});
    // Longer than one JetStream request's timeout, so the first request goes unanswered.
    await sleep(6000);
    servers.push(await nodes.start(1), await nodes.start(2));
    const log = await opening;
    try {
      assert.equal(await log.append(addedRange(1, 3)), [1, 2, 3]);
      assert.is(log.lastSeq, 3);
    } finally {
      await log.close();
    }
  } finally {
    for (const server of servers) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a meta leader for failoverMs, opening fails with STORE_IO naming it, not sooner and not forever', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshfold-leaderless-'));
  const nodes = await clusterNodes(dir);
  const server = await nodes.start(0);
  try {
    const started = Date.now();
    const err = await failure(JetStreamEventLog.open({ servers: [server.url], stream: 'leaderless' }, { failoverMs: 3000 }));
    const waited = Date.now() - started;
    assert.is(err.code, 'STORE_IO');
    assert.match(err.message, /no meta leader/);
    assert.ok(waited >= 3000 && waited < 15_000, `waited ${waited} ms`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server without JetStream still fails at once', async () => {
  const port = await freePort();
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    // Bounded: 10 s for it to listen.
    for (let i = 0; i < 100 && !(await accepts(port)); i++) await sleep(100);
    const started = Date.now();
    const err = await failure(JetStreamEventLog.open({ servers: [`nats://127.0.0.1:${port}`], stream: 'nojs' }, { failoverMs: 20_000 }));
    assert.is(err.code, 'STORE_IO');
    assert.match(err.message, /JetStream is not enabled/);
    assert.ok(Date.now() - started < 5000);
  } finally {
    child.kill('SIGTERM');
  }
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

test.run();
