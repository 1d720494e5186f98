import { concatMap, defer, EMPTY, of, type OperatorFunction } from 'rxjs';
import type { Change } from './applyChange.js';
import { isMeshfoldError, type MeshfoldError } from './MeshfoldError.js';
import type { WatchEvent } from './objects.js';
import { pairEvent, type PairResult } from './pairEvent.js';
import type { ObjectRecord } from './records.js';
import { Interner } from './Interner.js';

export interface PairChangesOptions {
  /**
   * Called for an invalid event or a notice (e.g. a delete of an unknown object). Without it an
   * invalid event errors the stream, as an Observable should rather than drop data silently.
   */
  readonly onRejected?: (rejection: MeshfoldError | NonNullable<PairResult['notice']>) => void;
}

/**
 * Watch events (optionally carrying a `seq`) → explicit (old, new) changes. Each subscription
 * keeps its own cache of last-seen objects.
 */
export function pairChanges(options: PairChangesOptions = {}): OperatorFunction<WatchEvent & { seq?: number }, Change> {
  return (source) => defer(() => {
    const cache = new Map<string, ObjectRecord>();
    const intern = new Interner();
    let last = 0;
    return source.pipe(concatMap((event) => {
      const seq = event.seq ?? last + 1;
      const paired = tryPair(cache, event, seq, options, intern);
      // As with Projector: a rejected event takes no seq, an unknown delete does (it is recorded).
      if (paired) last = seq;
      if (paired?.notice) options.onRejected?.(paired.notice);
      const change = paired?.change;
      if (!change) return EMPTY;
      if (change.new) cache.set(change.key, change.new);
      else cache.delete(change.key);
      return of(change);
    }));
  });
}

function tryPair(
  cache: Map<string, ObjectRecord>, event: WatchEvent, seq: number, options: PairChangesOptions, intern: Interner,
): PairResult | undefined {
  try {
    return pairEvent((key) => cache.get(key), event, seq, intern);
  } catch (err) {
    if (!isMeshfoldError(err) || !options.onRejected) throw err;
    options.onRejected(err);
    return undefined;
  }
}
