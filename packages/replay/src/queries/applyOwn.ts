import { isMeshfoldError, type LoggedEvent, type Projector } from '@meshfold/core';
import { historyEntry, type HistoryEntry } from './historyEntry.js';

/**
 * The history entry of one of the object's own events, applied to `projector` with every delta it
 * makes; one the fold refuses is skipped and its entry carries the error.
 */
export function applyOwn(projector: Projector, event: LoggedEvent): HistoryEntry {
  try {
    return historyEntry(event, [...projector.apply(event, event.seq).deltas]);
  } catch (err) {
    if (!isMeshfoldError(err)) throw err;
    projector.skip(event.seq);
    return historyEntry(event, [], { code: err.code, message: err.message });
  }
}
