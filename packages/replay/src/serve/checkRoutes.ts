import { MeshfoldError } from '@meshfold/core';
import { checkDump, DEFAULT_SETTLE } from '../check/checkDump.js';
import { parseDuration } from '../check/duration.js';
import type { ProxyDump } from '../check/readDump.js';
import type { StateLoader } from '../queries/StateLoader.js';
import type { InspectorContext } from './InspectorContext.js';
import type { Router } from './Router.js';
import { sendJson } from './sendJson.js';

/** A dump read when the inspector started (`serve --dump FILE`): the server stays read-only, GET only. */
export interface LoadedDump {
  readonly file: string;
  readonly dump: ProxyDump;
  /** The file's modification time. */
  readonly time: string;
}

/**
 * `/api/check?at&settle`: the dump against the truth at `at` (default: the dump's own point),
 * exactly `meshfold check --log DIR FILE --at … -o json`'s report for it.
 */
export function checkRoutes(router: Router, { log, cache }: InspectorContext, dump: LoadedDump | undefined): void {
  const load: StateLoader = (seq) => cache.stateAt(seq);
  // What the page asks first, so an inspector without a dump never answers it with an error.
  router.get('/api/dump', [], async ({ res }) => {
    sendJson(res, 200, dump ? { dump: dump.file, format: dump.dump.format, clusters: dump.dump.clusters.length } : { dump: null });
  });
  router.get('/api/check', ['at', 'settle'], async ({ query, res }) => {
    if (!dump) throw new MeshfoldError('SERVE_NOT_FOUND', 'no dump to check: start the inspector with serve --dump FILE');
    const settleMs = parseDuration(query.get('settle') ?? DEFAULT_SETTLE, 'settle');
    sendJson(res, 200, await checkDump(log, load, dump.dump, dump.file, { at: query.get('at'), settleMs, fileTime: dump.time }));
  });
}
