import { MeshfoldError, parseRfc3339, RFC3339_RULE, type Projector } from '@meshfold/core';
import type { EventLog } from './EventLog.js';
import { loadState, type LoadStateOptions } from './loadState.js';

/**
 * The state of the log at a point, in one call: after seq `at` (0 = empty), or after the last
 * event recorded at or before time `at` (an RFC 3339 string with its zone, or a `Date`). Loaded
 * from the nearest snapshot at or before it plus the events after it (see `loadState`). A seq
 * past the end of the log, or a string that is not an RFC 3339 time, is `INPUT_MALFORMED`.
 *
 * @example
 * // Which WorkloadEntries did ServiceEntry shop/orders select at noon?
 * const past = await stateAt(log, '2024-05-01T12:00:00Z');
 * selectedBy(past.state, 'shop/orders').map((we) => we.name);
 */
export async function stateAt(log: EventLog, at: number | string | Date, options: LoadStateOptions = {}): Promise<Projector> {
  return loadState(log, await seqOf(log, at), options);
}

async function seqOf(log: EventLog, at: number | string | Date): Promise<number> {
  if (typeof at === 'number') {
    if (!Number.isSafeInteger(at) || at < 0 || at > log.lastSeq) {
      throw new MeshfoldError('INPUT_MALFORMED', `stateAt: seq ${at} is not a seq of the log (0..${log.lastSeq})`);
    }
    return at;
  }
  const time = at instanceof Date ? at.toISOString() : at;
  if (parseRfc3339(time) === undefined) {
    throw new MeshfoldError('INPUT_MALFORMED', `stateAt: ${JSON.stringify(time)} is not an RFC 3339 time (${RFC3339_RULE})`);
  }
  return log.seqAt(time);
}
