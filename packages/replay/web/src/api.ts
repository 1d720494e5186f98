import type { AssociationRecord, EndpointRecord, LoggedEvent } from '@meshfold/core';
import type { CheckReport } from '../../src/check/checkDump.js';
import type { HistoryEntry } from '../../src/queries/historyJson.js';
import type { WhyAnswer } from '../../src/queries/explainAt.js';
import type { StateDiff } from '../../src/queries/diffStates.js';

// The API's responses are the CLI's `-o json` values: the types come from the code that builds them.
export type { AssociationRecord, CheckReport, EndpointRecord, HistoryEntry, LoggedEvent, StateDiff, WhyAnswer };

export interface Summary { lastSeq: number; firstTime: string | null; lastTime: string | null; follow: boolean }
export interface EventsPage { from: number; to: number; events: LoggedEvent[] }
export interface Endpoints { seq: number; endpoints: EndpointRecord[] }
export interface Associations { seq: number; associations: AssociationRecord[] }
export interface History { object: string; entries: HistoryEntry[] }

/** A coded API error (`CLI_USAGE`, `SERVE_NOT_FOUND`, …) or a failed request (`NETWORK`). */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Params = Record<string, string | number | undefined>;

async function get<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const url = new URL(path, location.href);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, String(value));
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('NETWORK', `the inspector server does not answer (${String(err)})`);
  }
  const body = await response.json() as { error?: { code: string; message: string } };
  if (!response.ok) throw new ApiError(body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? response.statusText);
  return body as T;
}

export const api = {
  summary: () => get<Summary>('/api/summary'),
  events: (from: number, limit: number, signal?: AbortSignal) => get<EventsPage>('/api/events', { from, limit }, signal),
  endpoints: (at: number, signal?: AbortSignal) => get<Endpoints>('/api/endpoints', { at }, signal),
  associations: (at: number, signal?: AbortSignal) => get<Associations>('/api/associations', { at }, signal),
  diff: (from: number, to: number, signal?: AbortSignal) => get<StateDiff>('/api/diff', { from, to }, signal),
  history: (object: string, signal?: AbortSignal) => get<History>('/api/history', { object }, signal),
  why: (se: string, we: string, at: number, signal?: AbortSignal) => get<WhyAnswer>('/api/why', { se, we, at }, signal),
  /** Whether the inspector has a dump to check (`serve --dump FILE`). */
  dump: () => get<{ dump: string | null }>('/api/dump'),
  /** The `serve --dump` file against the truth at `at`; SERVE_NOT_FOUND when there is none. */
  check: (at: number, signal?: AbortSignal) => get<CheckReport>('/api/check', { at }, signal),
};
