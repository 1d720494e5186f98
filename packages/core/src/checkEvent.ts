import type { WatchEvent } from './objects.js';
import { assertUpsert, assertValidIdentity, identityOf } from './internal/pairEvent.js';
import { assertValidObject } from './internal/toRecord.js';

/**
 * Throws the coded error `Projector.replay` would throw for `event` at `seq`, without a state:
 * whether the fold accepts an event never depends on the state (only its notices and its change
 * do), so a writer can decide what reaches the log before, or apart from, folding it.
 */
export function checkEvent(event: WatchEvent, seq: number): void {
  const key = identityOf(event.object, seq);
  if (event.type === 'DELETED') {
    assertValidIdentity(event.object, key, seq);
    return;
  }
  assertUpsert(event, key, seq);
  assertValidObject(event.object);
}
