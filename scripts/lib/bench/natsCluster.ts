import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Debian's package path, as the tests use; another binary through MESHFOLD_NATS_SERVER. */
const NATS_SERVER = process.env.MESHFOLD_NATS_SERVER ?? '/usr/sbin/nats-server';

/** JetStream servers the bench runs for itself on loopback, their stores under one directory. */
export interface BenchCluster {
  /** `nats://127.0.0.1:a,127.0.0.1:b,…`: every node, as a `--log` location lists them. */
  readonly servers: string;
  stop(): Promise<void>;
}

export function haveNatsServer(): boolean {
  return existsSync(NATS_SERVER);
}

/**
 * `size` nats-server processes (1: a single node; 3: the recommended R3 cluster) from config
 * files of the README's shape, resolved once every node names the same JetStream meta leader.
 */
export async function startCluster(size: number, dir: string): Promise<BenchCluster> {
  const ports = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), route: await freePort(), monitor: await freePort() });
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    }));
  };
  try {
    for (const [i, p] of ports.entries()) {
      const name = `n${i + 1}`;
      const store = join(dir, name);
      mkdirSync(store, { recursive: true });
      const cluster = size === 1 ? '' : [
        'cluster {', '  name: meshfold-bench', `  listen: 127.0.0.1:${p.route}`,
        `  routes: [${ports.map((o) => `nats-route://127.0.0.1:${o.route}`).join(', ')}]`, '}',
      ].join('\n');
      const config = join(dir, `${name}.conf`);
      writeFileSync(config, [
        `server_name: ${name}`, `listen: 127.0.0.1:${p.client}`, `http: 127.0.0.1:${p.monitor}`,
        `jetstream { store_dir: "${store}" }`, cluster, '',
      ].join('\n'));
      const child = spawn(NATS_SERVER, ['-c', config], { stdio: ['ignore', 'ignore', 'ignore'] });
      children.push(child);
    }
    await untilLeader(ports.map((p) => p.monitor), size, children);
  } catch (err) {
    await stop();
    throw err;
  }
  return { servers: `nats://${ports.map((p) => `127.0.0.1:${p.client}`).join(',')}`, stop };
}

/** Bounded: 30 s for the nodes to agree on a meta leader (a single node is its own at once). */
async function untilLeader(monitors: number[], size: number, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const exited = children.find((c) => c.exitCode !== null);
    if (exited) throw new Error(`nats-server exited ${exited.exitCode} while starting`);
    const views = await Promise.all(monitors.map(jsz));
    const leaders = new Set(views.map((v) => v?.meta_cluster?.leader));
    const up = views.every((v) => v !== undefined);
    if (up && (size === 1 || (leaders.size === 1 && !leaders.has(undefined) && !leaders.has('')))) return;
    if (Date.now() > deadline) throw new Error(`nats-server cluster not ready: ${JSON.stringify(views)}`);
    await sleep(100);
  }
}

async function jsz(port: number): Promise<{ meta_cluster?: { leader?: string } } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/jsz`, { signal: AbortSignal.timeout(1000) });
    return (await response.json()) as { meta_cluster?: { leader?: string } };
  } catch {
    return undefined;
  }
}

/** A port free on loopback now (the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
