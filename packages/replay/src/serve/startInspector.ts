import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MeshfoldError } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { checkRoutes, type LoadedDump } from './checkRoutes.js';
import { hostGuard } from './hostGuard.js';
import { isLoopbackHost } from './isLoopbackHost.js';
import type { InspectorContext } from './InspectorContext.js';
import { logRoutes } from './logRoutes.js';
import { pointRoutes } from './pointRoutes.js';
import { Router } from './Router.js';
import { StateCache } from '../queries/StateCache.js';
import { staticRoutes } from './staticRoutes.js';
import { streamRoutes } from './streamRoutes.js';

export interface InspectorOptions {
  /** 0 picks a free port (read it back from `Inspector.port`). Default 7070. */
  port?: number;
  /** Default 127.0.0.1: the log stays on this machine unless asked otherwise. */
  host?: string;
  /** Stream events appended to `log` in this process on `/api/stream`. */
  follow?: boolean;
  /** States kept warm for scrubbing. Default 4. */
  cacheSize?: number;
  /** Server-side failures and store warnings. Default: stderr. */
  warn?: (text: string) => void;
  /** A proxy's dump to check at any seq on `/api/check` (`serve --dump FILE`). */
  dump?: LoadedDump;
}

export interface Inspector {
  readonly url: string;
  readonly port: number;
  /** Live event streams (`/api/stream`) open now: a stalled client's is cut, not kept. */
  readonly streamCount: number;
  /** Ends live streams and open connections, then stops listening. Leaves the log open. Idempotent. */
  close(): Promise<void>;
}

/** Open connections the inspector accepts at once; more are closed as they arrive. */
const MAX_CONNECTIONS = 256;

/** Serves the read-only inspector (JSON API and web page) over an open log. */
export async function startInspector(log: EventLog, options: InspectorOptions = {}): Promise<Inspector> {
  const host = options.host ?? '127.0.0.1';
  const warn = options.warn ?? ((text: string) => { process.stderr.write(text); });
  const context: InspectorContext = {
    log,
    cache: new StateCache(log, { size: options.cacheSize ?? 4, onReport: (r) => warn(`warning: ${r.code}: ${r.message}\n`) }),
    follow: options.follow ?? false,
    streams: new Set<ServerResponse>(),
    warn,
  };
  const guard = hostGuard(host);
  // Other processes append to a shared log (JetStream): each request first learns how far it
  // reaches now, so every answer (`/api/summary`, the latest state) follows the recorder live.
  const prepare = log.capabilities.sharedReaders ? () => log.refresh() : undefined;
  const router = new Router({ warn, ...(guard && { guard }), ...(prepare && { prepare }) });
  logRoutes(router, context);
  pointRoutes(router, context);
  checkRoutes(router, context, options.dump);
  streamRoutes(router, context);
  staticRoutes(router);

  const server = createServer((req, res) => { void router.handle(req, res); });
  // Each page holds a stream and a few requests; past this the server refuses, not the machine.
  server.maxConnections = MAX_CONNECTIONS;
  const port = await listen(server, options.port ?? 7070, host);
  if (!isLoopbackHost(host)) {
    warn(`warning: the inspector on ${host}:${port} serves the whole log, without authentication, to anyone who can reach it\n`);
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    get streamCount() { return context.streams.size; },
    close: () => (closing ??= stop(server, context.streams)),
  };
}

async function stop(server: Server, streams: Set<ServerResponse>): Promise<void> {
  for (const res of streams) res.end();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new MeshfoldError('SERVE_LISTEN', `cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (try --port)' : err.message}`));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
