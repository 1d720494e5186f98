/**
 * Why `historyJson` reads an event of another object. `watch`: an event of the other kind while
 * the object exists, which may add or remove an association with it, so it is applied on its own
 * and its association deltas are looked at. `state`: the last event of another object before one
 * of the object's own events, applied for the state it leaves — what all its events since the
 * previous one amount to.
 */
export type ReadRole = 'watch' | 'state';

/** The events of other objects `historyJson` reads, ascending, with why each is read. */
export interface HistoryReads {
  readonly seqs: Float64Array;
  role(seq: number): ReadRole;
  /**
   * The seqs of the object of a read, up to `to`, ascending: a `state` read that turns out
   * invalid falls back on the events before it, as a replay would have kept one of them.
   */
  objectSeqs(seq: number): readonly number[];
}

/**
 * Which events of the other objects of its namespace an object's history needs, worked out from
 * the log's object index alone.
 * `own`: the object's seqs; `presentAfter[i]`: whether the object exists after `own[i]` (it
 * exists only by its own events); `others`: the seqs of every other object of the namespace,
 * with whether it is of the other kind (a ServiceEntry for a WorkloadEntry and vice versa).
 *
 * An association is a (ServiceEntry, WorkloadEntry) pair, so only the object's own events and
 * events of the other kind can change one involving it, and only while it exists; those are read
 * one by one. Every other event matters only through the state it leaves at the object's next
 * own event, whose shard deltas list whole endpoint shards, so of each run of another object's
 * events between two of those only the last is read (and the ones before it when it is invalid).
 * The reads are therefore bounded by the namespace's events, and by its objects times the
 * object's own events, whichever is smaller.
 */
export function historyReads(
  own: readonly number[], presentAfter: readonly boolean[], others: readonly { seqs: readonly number[]; otherKind: boolean }[],
): HistoryReads {
  // Per read: its object's index in `others`, times two, plus one when watched.
  const picked = new Map<number, number>();
  // Index of the first own seq above `seq`.
  const ownAfter = (seq: number) => {
    let lo = 0;
    let hi = own.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (own[mid]! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  others.forEach(({ seqs, otherKind }, object) => {
    seqs.forEach((seq, j) => {
      const i = ownAfter(seq);
      if (otherKind && i > 0 && presentAfter[i - 1]) picked.set(seq, object * 2 + 1);
      // Superseded unless one of the object's own events comes first. An event before a watched
      // one needs no rule of its own: unless watched itself, the object did not exist at it, so
      // one of its own events (the one that added it back) lies in between.
      else if ((own[i] ?? Infinity) < (seqs[j + 1] ?? Infinity)) picked.set(seq, object * 2);
    });
  });
  // A typed array sorts numerically, and far faster than an array of objects.
  const seqs = Float64Array.from(picked.keys()).sort();
  return {
    seqs,
    role: (seq) => (picked.get(seq)! % 2 === 1 ? 'watch' : 'state'),
    objectSeqs: (seq) => others[Math.floor(picked.get(seq)! / 2)]!.seqs,
  };
}
