/**
 * One block of a derived index: a value that a reader of the log worked out from the events of
 * one group (for `history`'s link index, one namespace) from `seq` on. The store keeps blocks
 * opaque, in (group, seq) order; see `EventLog.putIndexBlocks`.
 */
export interface IndexBlock {
  readonly group: string;
  readonly seq: number;
  readonly value: Uint8Array;
}
