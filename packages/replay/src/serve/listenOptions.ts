import { MeshfoldError } from '@meshfold/core';

export interface ListenOptions {
  port: number;
  host: string;
}

/** `--port` and `--host` as sade parsed them, checked; shared by `serve` and `record --serve`. */
export function listenOptions(opts: Record<string, unknown>): ListenOptions {
  const port = Number(opts.port ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MeshfoldError('CLI_USAGE', `--port must be an integer from 0 (any free port) to 65535, got ${String(opts.port)}`);
  }
  const host = opts.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new MeshfoldError('CLI_USAGE', '--host must be an address or name to bind');
  return { port, host };
}
