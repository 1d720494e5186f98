import type { IncomingMessage } from 'node:http';
import { MeshfoldError } from '@meshfold/core';

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|::1)$/i;

/**
 * On a loopback bind, refuses requests whose Host is not a loopback name: a web page elsewhere
 * could otherwise point a DNS name at 127.0.0.1 (DNS rebinding) and read the log through the
 * visitor's browser. A non-loopback bind is an explicit choice to be reachable, so it is not checked.
 */
export function hostGuard(boundHost: string): ((req: IncomingMessage) => void) | undefined {
  if (!LOOPBACK.test(boundHost)) return undefined;
  return (req) => {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!LOOPBACK.test(hostname)) {
      throw new MeshfoldError('SERVE_FORBIDDEN_HOST', `Host ${JSON.stringify(req.headers.host ?? '')} is not a loopback name; open the inspector at http://127.0.0.1/ or http://localhost/`);
    }
  };
}
