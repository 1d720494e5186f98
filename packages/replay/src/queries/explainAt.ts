import { isMeshfoldError, Projector, type LoggedEvent } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { explainAssociation, type Reason } from './explainAssociation.js';
import { relistNote } from './relistNote.js';
import { safeIdentity } from './safeIdentity.js';

/** What `meshfold why -o json` prints (docs/output.md). */
export interface WhyAnswer {
  seq: number;
  serviceEntry: string;
  workloadEntry: string;
  associated: boolean;
  /** The event that created the current association, or that last ended it. */
  since?: { seq: number; time: string; event: string };
  reasons: Reason[];
  /** The last event about either object that the fold refused (e.g. invalid), if any. */
  rejected?: { seq: number; object: string; code: string; message: string };
}

/**
 * `why -o json` and `/api/why`: whether SE selects WE at `seq`, since when, and if not, every
 * rule that fails. Replays the events of the two objects up to `seq`, remembering when their
 * association last changed. Whether a ServiceEntry selects a WorkloadEntry depends on those two
 * objects alone, so the log's per-object index gives every event that matters, however long the log.
 */
export async function explainAt(log: EventLog, seKey: string, weKey: string, seq: number): Promise<WhyAnswer> {
  const projector = new Projector();
  let since: WhyAnswer['since'];
  let rejected: WhyAnswer['rejected'];
  /** The last event about each of the two objects, to say how an absent one went away. */
  const lastOf = new Map<string, LoggedEvent>();
  for (const at of await pairSeqs(log, seKey, weKey, seq)) {
    const event = (await log.get(at))!;
    lastOf.set(safeIdentity(event), event);
    try {
      const { deltas } = projector.replay(event, event.seq);
      if (deltas.some((d) => (d.type === 'association-added' || d.type === 'association-removed')
        && d.serviceEntry === seKey && d.workloadEntry === weKey)) since = describe(event);
    } catch (err) {
      if (!isMeshfoldError(err)) throw err;
      projector.skip(event.seq);
      rejected = { seq: event.seq, object: safeIdentity(event), code: err.code, message: err.message };
    }
  }
  const explained = explainAssociation(projector.state, seKey, weKey);
  const { associated } = explained;
  // An object removed by a relist was not deleted on a watch: say so where its absence is the reason.
  const reasons = explained.reasons.map((r) => {
    const last = r.code === 'SE_ABSENT' ? lastOf.get(`ServiceEntry/${seKey}`) : r.code === 'WE_ABSENT' ? lastOf.get(`WorkloadEntry/${weKey}`) : undefined;
    const note = last?.type === 'DELETED' ? relistNote(last) : undefined;
    return note ? { ...r, message: `${r.message}: ${note}` } : r;
  });
  return {
    seq, serviceEntry: seKey, workloadEntry: weKey, associated,
    ...(since && { since }), reasons, ...(rejected && { rejected }),
  };
}

async function pairSeqs(log: EventLog, seKey: string, weKey: string, to: number): Promise<number[]> {
  const [se, we] = await Promise.all([log.seqsOf(`ServiceEntry/${seKey}`, { to }), log.seqsOf(`WorkloadEntry/${weKey}`, { to })]);
  return [...se, ...we].sort((a, b) => a - b);
}

function describe(e: LoggedEvent): NonNullable<WhyAnswer['since']> {
  const note = relistNote(e);
  return { seq: e.seq, time: e.time, event: `${e.type} ${safeIdentity(e)}${note ? `, ${note}` : ''}` };
}
