import type { ServerResponse } from 'node:http';
import { httpStatus, isMeshfoldError, MeshfoldError } from '@meshfold/core';
import { sendJson } from './sendJson.js';

/**
 * What a client is told of a failure: a MeshfoldError as it is, anything else as INTERNAL without
 * its details, which go to the server's log with every other server-side (5xx) failure.
 */
export function publicError(err: unknown, warn: (text: string) => void): MeshfoldError {
  const error = isMeshfoldError(err) ? err : new MeshfoldError('INTERNAL', 'internal error (see the server log)', { cause: err });
  if (httpStatus(error.code) >= 500) warn(`inspector: ${isMeshfoldError(err) ? err.toLine() : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  return error;
}

/**
 * `{ "error": { "code", "message" } }` with the code's status from the registry. Once a streamed
 * body has begun the status is gone, so the connection is cut: a truncated body must not pass for
 * a whole one.
 */
export function sendError(res: ServerResponse, err: unknown, warn: (text: string) => void): void {
  const error = publicError(err, warn);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, httpStatus(error.code), { error: { code: error.code, message: error.message } });
}
