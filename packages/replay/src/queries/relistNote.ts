import type { LoggedEvent } from '@meshfold/core';

/**
 * What an event recorded by a relist means, in words, or undefined for an event seen on a watch
 * or read from a file. Shared by `history`, `why`, `check` and the inspector.
 */
export function relistNote(e: Pick<LoggedEvent, 'type' | 'origin'>): string | undefined {
  if (!e.origin) return undefined;
  return e.type === 'DELETED'
    ? `removed by relist at seq ${e.origin.sync}: it was not in the cluster any more`
    : `${e.type === 'ADDED' ? 'found' : 'found changed'} by relist at seq ${e.origin.sync}`;
}
