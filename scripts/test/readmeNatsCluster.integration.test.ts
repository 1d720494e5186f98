import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect } from 'nats';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../lib/bench/natsCluster.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const meshfold = join(root, 'packages', 'replay', 'bin', 'meshfold.js');
const NATS_SERVER = process.env.MESHFOLD_NATS_SERVER ?? '/usr/sbin/nats-server';
const HOSTS = ['n1.example.internal', 'n2.example.internal', 'n3.example.internal'];

/** The README's "Scale out" section: its nats-server config and its stream-creating command. */
function scaleOut(): { config: string; create: string } {
  const section = readFileSync(join(root, 'README.md'), 'utf8').split(/^## Scale out/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'the README has a "## Scale out" section');
  const config = /^```conf\n([\s\S]*?)^```$/m.exec(section)?.[1];
  assert.ok(config, 'the Scale out section has a conf block');
  const create = /^(node --input-type=module -e .*)$/m.exec(section)?.[1];
  assert.ok(create, 'the Scale out section shows how to create the R3 stream');
  return { config, create };
}

/** `text` with each of `from` replaced, failing if one is not there (the README changed: so must this test). */
function replaced(text: string, pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    assert.ok(text.includes(from), `the README's text has ${from}`);
    text = text.split(from).join(to);
  }
  return text;
}

test("the README's three-node config starts a cluster; its command creates an R3 stream that record and verify use", async () => {
  const { config, create } = scaleOut();
  const dir = mkdtempSync(join(tmpdir(), 'meshfold-readme-cluster-'));
  const ports: { client: number; route: number; monitor: number }[] = [];
  for (let i = 0; i < 3; i++) ports.push({ client: await freePort(), route: await freePort(), monitor: await freePort() });
  const children: ChildProcess[] = [];
  try {
    for (const [i, p] of ports.entries()) {
      // Three servers on one machine: each its own ports and store; the hosts become loopback.
      const node = replaced(config, [
        ['server_name: n1', `server_name: n${i + 1}`], ['0.0.0.0:4222', `127.0.0.1:${p.client}`], ['127.0.0.1:8222', `127.0.0.1:${p.monitor}`],
        ['0.0.0.0:6222', `127.0.0.1:${p.route}`], ['/var/lib/nats', join(dir, `n${i + 1}`)],
        ...HOSTS.map((host, j): [string, string] => [`${host}:6222`, `127.0.0.1:${ports[j]!.route}`]),
      ]);
      const file = join(dir, `n${i + 1}.conf`);
      writeFileSync(file, node);
      children.push(spawn(NATS_SERVER, ['-c', file], { stdio: 'ignore' }));
    }
    const servers = ports.map((p) => `127.0.0.1:${p.client}`).join(',');
    // The command as printed, against these servers; an open waits for the new cluster's meta leader.
    const command = replaced(create, HOSTS.map((host, j): [string, string] => [`${host}:4222`, `127.0.0.1:${ports[j]!.client}`]));
    await run('sh', ['-c', command], { cwd: root, timeout: 60_000 });
    const log = `nats://${servers}/mesh`;
    const { stdout } = await run(process.execPath, [meshfold, 'record', '--log', log, join(root, 'scripts', 'demo', 'demo-stream.json')]);
    assert.match(stdout, /recorded 11 events/);
    // Another process, through another server of the three.
    await run(process.execPath, [meshfold, 'verify', '--log', `nats://127.0.0.1:${ports[2]!.client}/mesh`]);
    const nc = await connect({ servers: servers.split(',') });
    const info = await (await nc.jetstreamManager()).streams.info('mesh');
    await nc.close();
    assert.is(info.config.num_replicas, 3);
    assert.is(info.cluster?.replicas?.length, 2);
  } finally {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
