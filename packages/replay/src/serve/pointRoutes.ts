import { associationsJson } from '../queries/associationsJson.js';
import { diffJson } from '../queries/diffJson.js';
import { cdsJson, edsJson, endpointsJson } from '../queries/endpointsJson.js';
import { explainAt } from '../queries/explainAt.js';
import { parseNameKey } from '../queries/parseNameKey.js';
import { resolvePoint } from '../queries/resolvePoint.js';
import type { StateLoader } from '../queries/StateLoader.js';
import type { InspectorContext } from './InspectorContext.js';
import type { Query } from './Query.js';
import type { Router } from './Router.js';
import { sendJson } from './sendJson.js';

/** The state at a point (`at`: seq or RFC 3339 time, default the latest), as the CLI's `-o json`. */
export function pointRoutes(router: Router, { log, cache }: InspectorContext): void {
  const load: StateLoader = (seq) => cache.stateAt(seq);
  const at = (query: Query) => resolvePoint(log, query.get('at'), 'at');

  router.get('/api/endpoints', ['at', 'host'], async ({ query, res }) => {
    sendJson(res, 200, await endpointsJson(load, await at(query), query.get('host')));
  });
  router.get('/api/eds', ['at', 'host'], async ({ query, res }) => {
    sendJson(res, 200, await edsJson(load, await at(query), query.get('host')));
  });
  router.get('/api/cds', ['at', 'host'], async ({ query, res }) => {
    sendJson(res, 200, await cdsJson(load, await at(query), query.get('host')));
  });
  router.get('/api/associations', ['at'], async ({ query, res }) => {
    sendJson(res, 200, await associationsJson(load, await at(query)));
  });
  router.get('/api/diff', ['from', 'to'], async ({ query, res }) => {
    const from = await resolvePoint(log, query.get('from') ?? 0, 'from');
    const to = await resolvePoint(log, query.get('to'), 'to');
    sendJson(res, 200, await diffJson(load, from, to));
  });
  router.get('/api/why', ['se', 'we', 'at'], async ({ query, res }) => {
    const se = parseNameKey(query.get('se'), 'se');
    const we = parseNameKey(query.get('we'), 'we');
    sendJson(res, 200, await explainAt(log, se, we, await at(query)));
  });
}
