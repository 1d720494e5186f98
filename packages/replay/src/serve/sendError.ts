import type { ServerResponse } from 'node:http';
import { isMeshfoldError, MeshfoldError } from '@meshfold/core';
import { sendJson } from './sendJson.js';

/** HTTP status by error code; any other code is the server's fault (500), still with its code. */
const STATUS: Readonly<Record<string, number>> = {
  CLI_USAGE: 400,
  CLI_NOT_FOUND: 404,
  STORE_NOT_FOUND: 404,
  SERVE_NOT_FOUND: 404,
  SERVE_NOT_FOLLOWING: 404,
  SERVE_FORBIDDEN_HOST: 403,
  SERVE_METHOD_NOT_ALLOWED: 405,
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 500;
}

/**
 * `{ "error": { "code", "message" } }` with the code's status. Once a streamed body has begun
 * the status is gone, so the connection is cut: a truncated body must not pass for a whole one.
 */
export function sendError(res: ServerResponse, err: unknown, warn: (text: string) => void): void {
  const error = isMeshfoldError(err) ? err : new MeshfoldError('INTERNAL', 'internal error (see the server log)');
  const status = statusOf(error.code);
  if (status === 500) warn(`inspector: ${isMeshfoldError(err) ? err.toLine() : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: { code: error.code, message: error.message } });
}
