import type { IncomingMessage, ServerResponse } from 'node:http';
import { MeshfoldError } from '@meshfold/core';
import { Query } from './Query.js';
import { sendError } from './sendError.js';

export interface ApiRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly query: Query;
}

export type Handler = (request: ApiRequest) => Promise<void>;

export interface RouterOptions {
  /** Runs before any route; throws a coded error to refuse the request. */
  guard?: (req: IncomingMessage) => void;
  /** Where server-side failures are reported. */
  warn: (text: string) => void;
  /** Runs before a route answers (after the guard); throws a coded error to fail the request. */
  prepare?: () => Promise<unknown>;
}

/** Exact-path GET routes. The inspector is read-only, so GET and HEAD are the only methods. */
export class Router {
  readonly #routes = new Map<string, { params: readonly string[] | 'any'; handler: Handler }>();
  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    this.#options = options;
  }

  get(path: string, params: readonly string[] | 'any', handler: Handler): this {
    this.#routes.set(path, { params, handler });
    return this;
  }

  /** Answers one request; never rejects, every failure becomes a coded JSON error. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    try {
      this.#options.guard?.(req);
      const url = new URL(req.url ?? '/', 'http://inspector');
      const route = this.#routes.get(url.pathname);
      if (!route) throw new MeshfoldError('SERVE_NOT_FOUND', `no such path ${JSON.stringify(url.pathname)}; the API is under /api/ (see README)`);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        throw new MeshfoldError('SERVE_METHOD_NOT_ALLOWED', `${String(req.method)} ${url.pathname}: the inspector is read-only; use GET`);
      }
      await this.#options.prepare?.();
      await route.handler({ req, res, query: new Query(url.searchParams, route.params) });
    } catch (err) {
      sendError(res, err, this.#options.warn);
    }
  }
}
