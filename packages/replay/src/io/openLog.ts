import { MeshfoldError, isMeshfoldError } from '@meshfold/core';
import { EventLog, type StoreReport } from '@meshfold/store';

/**
 * Opens an existing log for a query, read-only: a missing directory, or one that holds no log,
 * is `STORE_NOT_FOUND` and is left exactly as it was; nothing the query does writes to the log.
 */
export async function openExistingLog(dir: string | undefined, onReport?: (r: StoreReport) => void): Promise<EventLog> {
  const path = requireLogDir(dir);
  try {
    // A directory or a nats:// stream; on JetStream a reader never blocks the writer.
    return await EventLog.open(path, { readOnly: true, ...(onReport && { onReport }) });
  } catch (err) {
    if (!isMeshfoldError(err) || err.code !== 'STORE_NOT_FOUND') throw err;
    throw new MeshfoldError('STORE_NOT_FOUND', `${err.message} (record one first: meshfold record --log ${path} FILE)`, err.details);
  }
}

export function requireLogDir(dir: string | undefined): string {
  if (typeof dir !== 'string' || dir === '') throw new MeshfoldError('CLI_USAGE', '--log DIR is required');
  return dir;
}

/** Runs `fn` with the log open and always closes it, so the LevelDB lock is released. */
export async function withLog<T>(log: EventLog, fn: (log: EventLog) => Promise<T>): Promise<T> {
  try {
    return await fn(log);
  } finally {
    await log.close();
  }
}
