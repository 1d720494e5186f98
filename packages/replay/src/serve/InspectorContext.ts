import type { ServerResponse } from 'node:http';
import type { EventLog } from '@meshfold/store';
import type { StateCache } from '../queries/StateCache.js';

/** What the route groups share: the open log, its warm state cache and the live streams. */
export interface InspectorContext {
  readonly log: EventLog;
  readonly cache: StateCache;
  /** Whether events appended in this process are streamed (`--follow`, `record --serve`). */
  readonly follow: boolean;
  /** Open Server-Sent Event responses, ended when the inspector closes. */
  readonly streams: Set<ServerResponse>;
  readonly warn: (text: string) => void;
}
