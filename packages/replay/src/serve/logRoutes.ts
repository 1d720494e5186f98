import { eventRange } from '../queries/eventRange.js';
import { historyJson } from '../queries/historyJson.js';
import { parseObjectKey } from '../queries/parseObjectKey.js';
import { writeEventsJson } from '../queries/writeEventsJson.js';
import type { InspectorContext } from './InspectorContext.js';
import type { Router } from './Router.js';
import { JSON_HEADERS, sendJson } from './sendJson.js';

/** A page of events, not the range asked for: the timeline must stay responsive on a 1M-event log. */
export const EVENTS_LIMIT = { default: 500, max: 5000 } as const;

/** `/api/summary`, `/api/events` and `/api/history`: the log as a sequence of events. */
export function logRoutes(router: Router, { log, follow }: InspectorContext): void {
  router.get('/api/summary', [], async ({ res }) => {
    const [first, last] = await Promise.all([log.get(1), log.get(log.lastSeq)]);
    sendJson(res, 200, { lastSeq: log.lastSeq, firstTime: first?.time ?? null, lastTime: last?.time ?? null, follow });
  });

  // `meshfold events -o json --from F --to T` for T clamped to F + limit - 1: a response whose
  // `to` is below the one asked for has more after it.
  router.get('/api/events', ['from', 'to', 'limit'], async ({ query, res }) => {
    const limit = query.int('limit', EVENTS_LIMIT.default, 1, EVENTS_LIMIT.max);
    const range = await eventRange(log, query.get('from'), query.get('to'), { from: 'from', to: 'to' });
    const page = { from: range.from, to: Math.min(range.to, range.from + limit - 1) };
    res.writeHead(200, JSON_HEADERS);
    await writeEventsJson(log, page, (text) => res.write(text));
    res.end();
  });

  router.get('/api/history', ['object'], async ({ query, res }) => {
    sendJson(res, 200, await historyJson(log, parseObjectKey(query.get('object'))));
  });
}
