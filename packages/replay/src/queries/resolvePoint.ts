import { MeshfoldError, parseRfc3339, RFC3339_RULE } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';

/**
 * `--at` / FROM / TO: a seq (state after that event; 0 = empty) or an RFC 3339 time (state after
 * the last event recorded at or before it). Absent = the latest state.
 */
export async function resolvePoint(log: EventLog, value: unknown, what = '--at'): Promise<number> {
  if (value === undefined || value === true) return log.lastSeq;
  const text = String(value);
  if (/^\d+$/.test(text)) {
    const seq = Number(text);
    if (seq > log.lastSeq) {
      throw new MeshfoldError('CLI_USAGE', `${what} ${seq} is past the end of the log (last seq ${log.lastSeq})`);
    }
    return seq;
  }
  // Checked here, with the parser the store uses, so a time the store would refuse is the
  // caller's usage error naming the argument, not a failure of the log.
  if (parseRfc3339(text) === undefined) {
    throw new MeshfoldError('CLI_USAGE', `${what} ${JSON.stringify(text)} is neither a seq nor an RFC 3339 time (${RFC3339_RULE})`);
  }
  return log.seqAt(text);
}
