import { readFile } from 'node:fs/promises';
import { MeshfoldError } from '@meshfold/core';
import type { Handler, Router } from './Router.js';

/** The page, built by `scripts/bundle.mjs` into dist/web (this file runs from dist/src/serve). */
const WEB_DIR = new URL('../../web/', import.meta.url);

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

/** Everything comes from this server: no inline script, nothing fetched from elsewhere. */
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** `/` and the bundled page's files. */
export function staticRoutes(router: Router): void {
  router.get('/', 'any', asset('index.html'));
  for (const name of ['app.js', 'app.js.map', 'style.css']) router.get(`/${name}`, 'any', asset(name));
}

function asset(name: string): Handler {
  const type = TYPES[name.slice(name.lastIndexOf('.') + 1)]!;
  // Read on each request: a few KB, and a rebuilt page is served without a restart.
  return async ({ res }) => {
    const body = await readFile(new URL(name, WEB_DIR)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      throw new MeshfoldError('SERVE_ASSET_MISSING', `the inspector page is not built (${name} missing); run npm run build`);
    });
    res.writeHead(200, {
      'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache',
      ...(type.startsWith('text/html') && { 'content-security-policy': CSP }),
    });
    res.end(body);
  };
}
