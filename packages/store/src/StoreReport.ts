import type { ErrorCode } from '@meshfold/core';

/**
 * Something the log skipped without failing, e.g. a snapshot of another projector version
 * or one that does not decode: snapshots are a cache, the events stay the truth, so these
 * are reported rather than thrown.
 */
export interface StoreReport {
  code: ErrorCode;
  message: string;
  seq: number;
}
