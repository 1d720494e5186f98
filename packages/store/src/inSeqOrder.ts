import type { LoggedEvent } from '@meshfold/core';
import { defer, mergeMap, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Emits events strictly as `from`, `from + 1`, … whatever order they arrive in: events
 * below the next expected seq are duplicates and dropped; events ahead of it wait until
 * the gap before them is filled. This is what lets `tail` merge a catch-up read with live
 * appends that race it. Only events that arrive early are held, so memory stays bounded
 * by how far the live stream runs ahead of the catch-up.
 */
export function inSeqOrder(from: number): MonoTypeOperatorFunction<LoggedEvent> {
  return (source) => defer(() => {
    let next = from;
    const early = new Map<number, LoggedEvent>();
    return source.pipe(
      mergeMap((event) => {
        if (event.seq >= next) early.set(event.seq, event);
        const ready: LoggedEvent[] = [];
        for (let due = early.get(next); due; due = early.get(next)) {
          early.delete(next);
          ready.push(due);
          next += 1;
        }
        return ready;
      }),
    );
  });
}
