import { MeshfoldError } from '@meshfold/core';

/**
 * Events `from..to` are missing from a log that acknowledged them. meshfold appends seqs without
 * gaps in atomic batches, so this is always damage (a lost or truncated LevelDB file, a record
 * of its write-ahead log that LevelDB dropped on recovery), never a state meshfold left behind.
 */
export function missingEvents(from: number, to: number, where: string, evidence?: string): MeshfoldError {
  const seqs = from === to ? `event seq ${from} is` : `events seq ${from}..${to} (${to - from + 1}) are`;
  return new MeshfoldError(
    'STORE_CORRUPT_MISSING',
    `${where}: ${seqs} missing: the log is damaged${evidence ? ` (${evidence})` : ''}`,
    { seq: from, to },
  );
}
