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

/** `ns/name`, checked. */
export function parseNameKey(value: unknown, what: string): string {
  const text = String(value ?? '');
  if (!/^[^/\s]+\/[^/\s]+$/.test(text)) throw new MeshfoldError('CLI_USAGE', `${what} must be NAMESPACE/NAME, got ${JSON.stringify(text)}`);
  return text;
}

/** `Kind/ns/name`, checked. */
export function parseObjectKey(value: unknown): string {
  const text = String(value ?? '');
  const m = /^(ServiceEntry|WorkloadEntry)\/[^/\s]+\/[^/\s]+$/i.exec(text);
  if (!m) throw new MeshfoldError('CLI_USAGE', `object must be ServiceEntry/NAMESPACE/NAME or WorkloadEntry/NAMESPACE/NAME, got ${JSON.stringify(text)}`);
  const kind = m[1]!.toLowerCase() === 'serviceentry' ? 'ServiceEntry' : 'WorkloadEntry';
  return kind + text.slice(m[1]!.length);
}

export function outputFormat<T extends string>(value: unknown, allowed: readonly T[]): T {
  const text = String(value ?? allowed[0]);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new MeshfoldError('CLI_USAGE', `-o ${text} is not one of ${allowed.join(', ')}`);
  }
  return text as T;
}
