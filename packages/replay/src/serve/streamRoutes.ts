import type { IncomingMessage, ServerResponse } from 'node:http';
import { MeshfoldError, type LoggedEvent } from '@meshfold/core';
import type { InspectorContext } from './InspectorContext.js';
import type { Query } from './Query.js';
import type { Router } from './Router.js';
import { publicError } from './sendError.js';

/**
 * Past this many unsent bytes the client is too slow: the stream ends and EventSource reconnects
 * with Last-Event-ID, resuming where it stopped, instead of the server holding an unbounded backlog.
 */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** Comment lines keep idle connections from being closed by proxies and browsers. */
const KEEP_ALIVE_MS = 15_000;

/**
 * `/api/stream`: Server-Sent Events, one `event` message per appended event (the `/api/events`
 * item, `id` = seq), from `from` or after Last-Event-ID, by default from the next seq.
 */
export function streamRoutes(router: Router, ctx: InspectorContext): void {
  router.get('/api/stream', ['from'], async ({ req, res, query }) => {
    if (!ctx.follow) {
      throw new MeshfoldError('SERVE_NOT_FOLLOWING', 'this inspector does not follow its log (start it with --follow, or use record --serve)');
    }
    const from = startSeq(req, query, ctx.log.lastSeq);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.write(`retry: 1000\n: following from seq ${from}\n\n`);
    follow(res, ctx, from);
  });
}

function follow(res: ServerResponse, ctx: InspectorContext, from: number): void {
  const writer = batchedWriter(res);
  const keepAlive = setInterval(() => writer(': keep-alive\n\n'), KEEP_ALIVE_MS);
  let unsubscribe = () => {};
  ctx.streams.add(res);
  res.on('close', () => {
    unsubscribe();
    clearInterval(keepAlive);
    ctx.streams.delete(res);
  });
  const subscription = ctx.log.tail(from).subscribe({
    next: (event: LoggedEvent) => writer(`id: ${event.seq}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`),
    error: (err: unknown) => {
      const error = publicError(err, ctx.warn);
      writer(`event: error\ndata: ${JSON.stringify({ error: { code: error.code, message: error.message } })}\n\n`, true);
    },
    complete: () => writer('', true),
  });
  unsubscribe = () => subscription.unsubscribe();
  if (res.destroyed) unsubscribe();
}

/** Collects messages and writes them once per turn of the event loop, so a burst is one write. */
function batchedWriter(res: ServerResponse): (text: string, end?: boolean) => void {
  let pending = '';
  let ending = false;
  const flush = () => {
    if (res.writableEnded || res.destroyed) return;
    const text = pending;
    pending = '';
    if (ending) res.end(text);
    // A stalled client never drains what end() would still try to send: its socket is destroyed.
    else if (!res.write(text) && res.writableLength > MAX_BUFFERED) res.destroy();
  };
  return (text, end = false) => {
    if (pending === '' && !ending) setImmediate(flush);
    pending += text;
    ending ||= end;
  };
}

function startSeq(req: IncomingMessage, query: Query, lastSeq: number): number {
  const lastEventId = req.headers['last-event-id'];
  if (typeof lastEventId === 'string' && lastEventId !== '') {
    const seq = /^\d+$/.test(lastEventId) ? Number(lastEventId) : NaN;
    if (!(seq <= Number.MAX_SAFE_INTEGER - 1)) {
      throw new MeshfoldError('CLI_USAGE', `Last-Event-ID must be a seq from 0 to ${Number.MAX_SAFE_INTEGER - 1}, got ${JSON.stringify(lastEventId.slice(0, 40))}`);
    }
    return seq + 1;
  }
  return query.int('from', lastSeq + 1, 1, Number.MAX_SAFE_INTEGER);
}
