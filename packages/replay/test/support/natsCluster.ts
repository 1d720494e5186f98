import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, NATS_SERVER } from './natsServer.js';

/** One node of a test's JetStream cluster: stopped and started again on the same ports and store. */
export interface ClusterNode {
  readonly name: string;
  readonly port: number;
  readonly running: boolean;
  kill(): Promise<void>;
  start(): Promise<void>;
}

/** A three-node JetStream cluster on 127.0.0.1, its stores in one temporary directory. */
export interface NatsCluster {
  readonly nodes: readonly ClusterNode[];
  /** `nats://127.0.0.1:a,127.0.0.1:b,127.0.0.1:c`: every node, so a client fails over. */
  readonly servers: string;
  /** Resolves once a meta leader is elected and every running node is current (bounded: `timeoutMs`). */
  ready(timeoutMs?: number): Promise<void>;
  node(name: string): ClusterNode;
  /** A stream's leader and its replicas with whether each is current, as a running node reports it. */
  stream(name: string): Promise<StreamCluster | undefined>;
  stop(): Promise<void>;
}

interface Ports { client: number; cluster: number; monitor: number }

export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'meshfold-cluster-'));
  const ports: Ports[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), cluster: await freePort(), monitor: await freePort() });
  const nodes = ports.map((p, i) => clusterNode(`n${i + 1}`, p, ports.filter((o) => o !== p), join(dir, `n${i + 1}`)));
  const cluster: NatsCluster = {
    nodes,
    servers: `nats://${ports.map((p) => `127.0.0.1:${p.client}`).join(',')}`,
    node: (name) => nodes.find((n) => n.name === name) ?? assertNever(`no node ${name}`),
    ready: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const running = ports.filter((_, i) => nodes[i]!.running);
        const views = await Promise.all(running.map((p) => jsz(p.monitor)));
        // Every running node names the same leader, and the leader (only it lists replicas) sees the others current.
        const leaders = new Set(views.map((v) => v?.meta_cluster?.leader));
        const leaderView = views.find((v) => v?.meta_cluster?.replicas);
        const current = leaderView?.meta_cluster?.replicas?.filter((r) => r.current && !r.offline).length === running.length - 1;
        if (leaders.size === 1 && !leaders.has(undefined) && current) return;
        if (Date.now() > deadline) throw new Error(`cluster not ready after ${timeoutMs} ms: ${JSON.stringify(views.map((v) => v?.meta_cluster))}`);
        await sleep(100);
      }
    },
    stream: async (name) => {
      // The leader's own view: only it knows whether each replica is current.
      for (const [i, p] of ports.entries()) {
        if (!nodes[i]!.running) continue;
        const view = await jsz(p.monitor, '?streams=true');
        const detail = view?.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === name);
        if (detail?.cluster?.leader === nodes[i]!.name) return detail.cluster;
      }
      return undefined;
    },
    stop: async () => {
      try {
        for (const node of nodes) await node.kill();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    for (const node of nodes) await node.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

function clusterNode(name: string, ports: Ports, peers: Ports[], dir: string): ClusterNode {
  let child: ChildProcess | undefined;
  let stderr = '';
  const args = [
    '-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(ports.client), '-m', String(ports.monitor),
    '--cluster', `nats://127.0.0.1:${ports.cluster}`, '--routes', peers.map((p) => `nats://127.0.0.1:${p.cluster}`).join(','),
    '--cluster_name', 'meshfold-test', '--server_name', name,
  ];
  return {
    name,
    port: ports.client,
    get running() { return child !== undefined && child.exitCode === null && child.signalCode === null; },
    async start() {
      child = spawn(NATS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
      // Bounded: 10 s for the monitoring port to answer.
      for (let attempt = 0; !(await jsz(ports.monitor)); attempt++) {
        if (child.exitCode !== null) throw new Error(`nats-server ${name} exited ${child.exitCode}: ${stderr}`);
        if (attempt >= 100) throw new Error(`nats-server ${name} did not start: ${stderr}`);
        await sleep(100);
      }
    },
    /** SIGKILL: a crash, not a clean shutdown that would hand leadership over first. */
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
}

export interface StreamCluster {
  leader?: string;
  replicas?: { name: string; current: boolean; offline?: boolean }[];
}

interface Jsz {
  meta_cluster?: StreamCluster;
  account_details?: { stream_detail?: { name: string; cluster?: StreamCluster }[] }[];
}

async function jsz(monitorPort: number, query = ''): Promise<Jsz | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${monitorPort}/jsz${query}`, { signal: AbortSignal.timeout(1000) });
    return (await response.json()) as Jsz;
  } catch {
    return undefined;
  }
}

function assertNever(message: string): never {
  throw new Error(message);
}
