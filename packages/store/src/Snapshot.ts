/** What a caller hands to `putSnapshot`: the projection state after some seq. */
export interface SnapshotInput {
  /** Snapshots of another projector version are never trusted: state layout may differ. */
  projectorVersion: string;
  /** The state hash the projector computed, so a reader can check what it rebuilt. */
  hash: string;
  state: unknown;
}

/** A usable snapshot, as `snapshotAtOrBefore` returns it. */
export interface Snapshot {
  seq: number;
  hash: string;
  state: unknown;
}

/** A snapshot listed without its state. */
export interface SnapshotInfo {
  seq: number;
  projectorVersion: string;
  hash: string;
  /** False for a snapshot written before values carried a checksum (format 1). */
  checksummed: boolean;
}

/** A stored snapshot, once decoded. */
export interface StoredSnapshot extends SnapshotInput {
  seq: number;
}
