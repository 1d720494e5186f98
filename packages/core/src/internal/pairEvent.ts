import type { Change } from './applyChange.js';
import { MeshfoldError, type Notice } from '../MeshfoldError.js';
import { objectKey, type ObjectKey } from '../keys.js';
import { namespaceOf, type KubeObject, type WatchEvent } from '../objects.js';
import type { ObjectRecord } from '../records.js';
import { toRecord } from './toRecord.js';
import { validateIdentity } from '../validateObject.js';
import { NO_INTERNING, type Interner } from './Interner.js';

export interface PairResult {
  /** Absent when the event changes nothing (a delete of an object never seen). */
  readonly change?: Change;
  /** Something worth reporting that is not an error, e.g. a delete of an unknown object. */
  readonly notice?: Notice;
}

/**
 * Turns a watch event into an explicit (old, new) change. `old` always comes from `lookup`, the
 * last version seen — a DELETED payload's own labels are never trusted (istio#25678).
 * Throws `INPUT_UNSUPPORTED_KIND` / `INPUT_INVALID_OBJECT` without side effects; messages name the
 * object, and callers add where it came from (a seq, a file position). `checked`: the event passed
 * `checkEvent`, so its object and identity are not validated again.
 */
export function pairEvent(
  lookup: (key: string) => ObjectRecord | undefined, event: WatchEvent, seq: number,
  intern: Pick<Interner, 'string' | 'map' | 'sortedMap' | 'keyed'> = NO_INTERNING, checked = false,
): PairResult {
  const key = identityOf(event.object, seq);
  const old = lookup(key);
  if (event.type === 'DELETED') {
    if (!checked) assertValidIdentity(event.object, key, seq);
    if (old) return { change: { seq, key, old, new: undefined } };
    return { notice: unknownDelete(key) };
  }
  assertUpsert(event, key, seq);
  return { change: { seq, key, old, new: toRecord(event.object, intern, checked) } };
}

/**
 * Throws `INPUT_INVALID_OBJECT` unless a DELETED payload's identity is one an ADDED could have
 * had: its payload is stored as it came, so it must be plain data, and a name no object can have
 * must not reach the log's object index or anyone's terminal.
 */
export function assertValidIdentity(obj: KubeObject, key: string, seq: number): void {
  const issues = validateIdentity(obj);
  if (issues.length > 0) {
    const list = issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
    throw new MeshfoldError('INPUT_INVALID_OBJECT', `DELETED ${JSON.stringify(key)} is invalid: ${list}`, { seq, issues });
  }
}

/** What a DELETED of an object the fold does not hold is reported as. */
export function unknownDelete(key: string): Notice {
  return { code: 'INPUT_UNKNOWN_DELETE', message: `DELETED ${key}, which was never added; nothing to remove` };
}

/** Throws `INPUT_MALFORMED` unless a non-DELETED event is an ADDED or MODIFIED. */
export function assertUpsert(event: WatchEvent, key: string, seq: number): void {
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED') {
    throw new MeshfoldError('INPUT_MALFORMED', `${key}: unknown event type ${JSON.stringify(event.type)}`, { seq, object: key });
  }
}

/** `Kind/ns/name` of an event's object, or an error naming what is missing. */
export function identityOf(obj: KubeObject, seq: number): ObjectKey {
  const kind = obj?.kind;
  if (kind !== 'ServiceEntry' && kind !== 'WorkloadEntry') {
    throw new MeshfoldError('INPUT_UNSUPPORTED_KIND',
      `kind ${JSON.stringify(kind ?? null)} is not a ServiceEntry or WorkloadEntry`, { seq });
  }
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new MeshfoldError('INPUT_INVALID_OBJECT', `${kind} without metadata.name`, { seq });
  }
  return objectKey(kind, namespaceOf(obj), name);
}
