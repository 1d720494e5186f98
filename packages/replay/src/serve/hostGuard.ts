import type { IncomingMessage } from 'node:http';
import { MeshfoldError } from '@meshfold/core';
import { isLoopbackHost } from './isLoopbackHost.js';

/**
 * On a loopback bind, refuses requests whose Host is not a loopback name: a web page elsewhere
 * could otherwise point a DNS name at 127.0.0.1 (DNS rebinding) and read the log through the
 * visitor's browser. A non-loopback bind is an explicit choice to be reachable, so it is not checked.
 */
export function hostGuard(boundHost: string): ((req: IncomingMessage) => void) | undefined {
  if (!isLoopbackHost(boundHost)) return undefined;
  return (req) => {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!isLoopbackHost(hostname)) {
      throw new MeshfoldError('SERVE_FORBIDDEN_HOST', `Host ${JSON.stringify(req.headers.host ?? '')} is not a loopback name; open the inspector at http://127.0.0.1/ or http://localhost/`);
    }
  };
}
