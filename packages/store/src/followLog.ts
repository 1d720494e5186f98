import { MeshfoldError, type LoggedEvent } from '@meshfold/core';
import { defer, map, type Observable } from 'rxjs';
import type { EventLog } from './EventLog.js';
import { missingEvents } from './missingEvents.js';

/** Where `followLog` starts. */
export interface FollowLogOptions {
  /**
   * The first seq to deliver. A service resuming from a loaded state (`loadState`, a snapshot)
   * passes its `projector.seq + 1`, so it reads only what it has not applied. Default: 1.
   */
  from?: number;
}

/**
 * The log's events from `from`, then every event appended after, in seq order and each once:
 * appends of any process on a log with shared readers (JetStream), of this process on LevelDB.
 * Piped into core's `project({ from: () => projector })`, with the projector loaded at
 * `from - 1`, each service following one log holds the state every other one holds at that seq.
 * A seq out of order errors the stream (STORE_CORRUPT_MISSING) rather than fold a wrong state.
 * Completes when the log closes.
 */
export function followLog(log: EventLog, { from = 1 }: FollowLogOptions = {}): Observable<LoggedEvent> {
  if (!Number.isSafeInteger(from) || from < 1) throw new MeshfoldError('INPUT_MALFORMED', `followLog: from must be a seq (1 or more), got ${String(from)}`);
  return defer(() => {
    let expected = from;
    return log.tail(from).pipe(map((event) => {
      if (event.seq !== expected) {
        throw event.seq > expected
          ? missingEvents(expected, event.seq - 1, 'followLog')
          : new MeshfoldError('STORE_CORRUPT_MISSING', `followLog: seq ${event.seq} delivered again after ${expected - 1}`, { seq: event.seq });
      }
      expected++;
      return event;
    }));
  });
}
