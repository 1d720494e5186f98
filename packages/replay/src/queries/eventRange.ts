import type { EventLog } from '@meshfold/store';
import { resolvePoint } from './resolvePoint.js';

/**
 * FROM and TO as seqs (or RFC 3339 times); FROM defaults to the first event, TO to the last, so
 * an empty log is an empty range, not an error (the inspector reads logs still being recorded).
 * `names` are the arguments as the caller's user spells them (`--from`, or `from` on the API).
 */
export async function eventRange(log: EventLog, from: unknown, to: unknown, names = { from: '--from', to: '--to' }): Promise<{ from: number; to: number }> {
  return {
    from: from === undefined ? 1 : Math.max(1, await resolvePoint(log, from, names.from)),
    to: await resolvePoint(log, to, names.to),
  };
}
