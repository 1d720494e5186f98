import type { Delta, LoggedEvent } from '@meshfold/core';
import { relistNote } from './relistNote.js';
import { safeIdentity } from './safeIdentity.js';

/** One event in an object's history and what it changed. */
export interface HistoryEntry {
  seq: number;
  time: string;
  type: string;
  /** The object the event was about: the one asked for, or another whose change involved it. */
  object: string;
  deltas: Delta[];
  error?: { code: string; message: string };
  /** Set when a relist recorded the event: the seq the relist began at. */
  origin?: { sync: number };
  /** The event's origin in words, e.g. `removed by relist at seq 12: it was not in the cluster any more`. */
  note?: string;
}

/** The entry of `event`, with the deltas it made that the history shows, or the error it was refused with. */
export function historyEntry(event: LoggedEvent, deltas: Delta[], error?: { code: string; message: string }): HistoryEntry {
  return {
    seq: event.seq, time: event.time, type: event.type, object: safeIdentity(event), deltas,
    ...(error && { error }), ...(event.origin && { origin: { sync: event.origin.sync }, note: relistNote(event)! }),
  };
}
