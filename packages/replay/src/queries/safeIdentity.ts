import { identityOf, type LoggedEvent } from '@meshfold/core';

/**
 * The `Kind/ns/name` of a logged event's object, or `Kind/?` when the object has no valid
 * identity: the log keeps rejected events too, and listing them must not fail.
 */
export function safeIdentity(e: LoggedEvent): string {
  try {
    return identityOf(e.object, e.seq);
  } catch {
    return `${String(e.object?.kind)}/?`;
  }
}
