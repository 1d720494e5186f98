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
  readonly seqs: number[];
  readonly roles: ReadRole[];
  /**
   * For each read, the seqs of its object up to `to`, ascending: a `state` read that turns out
   * invalid falls back on the event before it, as a replay would have kept that one.
   */
  readonly objectSeqs: (readonly number[])[];
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
  const picked: { seq: number; role: ReadRole; objectSeqs: readonly number[] }[] = [];
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
  for (const { seqs, otherKind } of others) {
    const watched = seqs.map((seq) => {
      if (!otherKind) return false;
      const i = ownAfter(seq);
      return i > 0 && presentAfter[i - 1]!;
    });
    seqs.forEach((seq, j) => {
      if (watched[j]) picked.push({ seq, role: 'watch', objectSeqs: seqs });
      // Superseded unless one of the object's own events comes first. An event before a watched
      // one needs no rule of its own: unless watched itself, the object did not exist at it, so
      // one of its own events (the one that added it back) lies in between.
      else if ((own[ownAfter(seq)] ?? Infinity) < (seqs[j + 1] ?? Infinity)) picked.push({ seq, role: 'state', objectSeqs: seqs });
    });
  }
  picked.sort((a, b) => a.seq - b.seq);
  return { seqs: picked.map((p) => p.seq), roles: picked.map((p) => p.role), objectSeqs: picked.map((p) => p.objectSeqs) };
}
