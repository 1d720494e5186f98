// The same as packages/store/test/support/natsServer.ts: test sources of one package cannot import another's.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Debian's package path; `.ci/run` installs it when missing. */
export const NATS_SERVER = process.env.MESHFOLD_NATS_SERVER ?? '/usr/sbin/nats-server';

export function haveNatsServer(): boolean {
  return existsSync(NATS_SERVER);
}

/** A `nats-server -js` of a test's own: loopback only, its store in a temporary directory. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** A port free on loopback now (the server binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startNatsServer(extraArgs: string[] = [], dir = mkdtempSync(join(tmpdir(), 'meshfold-nats-'))): Promise<NatsServer> {
  const port = await freePort();
  const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir, ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  // Bounded: 10 s of 50 ms tries for the port to accept connections.
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nats-server exited ${child.exitCode}: ${stderr}`);
    if (await accepts(port)) break;
    if (attempt >= 200) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not listen on ${port}: ${stderr}`);
    }
    await sleep(50);
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
