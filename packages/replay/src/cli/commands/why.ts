import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { explainAt, type WhyAnswer } from '../../queries/explainAt.js';
import { parseNameKey } from '../../queries/parseNameKey.js';
import { resolvePoint } from '../../queries/resolvePoint.js';
import { formatJson } from '../formatJson.js';
import { outputFormat } from '../outputFormat.js';

/** Whether SE selects WE at a point, since when, and if not, every rule that fails. */
export async function why(log: EventLog, se: unknown, we: unknown, options: { at?: unknown; o?: string }, io: Io): Promise<number> {
  const format = outputFormat(options.o, ['text', 'json'] as const);
  const seKey = parseNameKey(se, 'SERVICEENTRY');
  const weKey = parseNameKey(we, 'WORKLOADENTRY');
  const seq = await resolvePoint(log, options.at);
  const answer = await explainAt(log, seKey, weKey, seq);
  io.out(format === 'json' ? formatJson(answer) : text(answer));
  return 0;
}

function text(a: WhyAnswer): string {
  const lines = [a.associated
    ? `ServiceEntry ${a.serviceEntry} selects WorkloadEntry ${a.workloadEntry} at seq ${a.seq}`
    : `ServiceEntry ${a.serviceEntry} does not select WorkloadEntry ${a.workloadEntry} at seq ${a.seq}`];
  if (a.since) {
    lines.push(a.associated
      ? `  since seq ${a.since.seq} (${a.since.event}, ${a.since.time})`
      : `  associated until seq ${a.since.seq} (${a.since.event}, ${a.since.time})`);
  }
  for (const r of a.reasons) lines.push(`  - ${r.message} [${r.code}]`);
  if (a.rejected) lines.push(`  ! seq ${a.rejected.seq}: ${a.rejected.object} was rejected: ${a.rejected.message}`);
  return `${lines.join('\n')}\n`;
}
