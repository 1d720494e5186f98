import { MeshfoldError } from '@meshfold/core';
import { isLoopbackHost } from './isLoopbackHost.js';

export interface ListenOptions {
  port: number;
  host: string;
}

/**
 * `--port`, `--host` and `--expose` as sade parsed them, checked; shared by `serve` and
 * `record --serve`. The inspector has no authentication, so binding anything but a loopback
 * address serves the whole log to the network: that takes `--expose`, never a typo of `--host`.
 */
export function listenOptions(opts: Record<string, unknown>): ListenOptions {
  const port = Number(opts.port ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MeshfoldError('CLI_USAGE', `--port must be an integer from 0 (any free port) to 65535, got ${String(opts.port)}`);
  }
  const host = opts.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new MeshfoldError('CLI_USAGE', '--host must be an address or name to bind');
  if (!isLoopbackHost(host) && opts.expose !== true) {
    throw new MeshfoldError('CLI_USAGE', `--host ${host} would serve the whole log, without authentication, to anyone who can reach it; add --expose to do so`);
  }
  return { port, host };
}
