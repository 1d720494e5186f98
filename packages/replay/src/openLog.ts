import { existsSync } from 'node:fs';
import { MeshfoldError } from '@meshfold/core';
import { EventLog, type StoreReport } from '@meshfold/store';

/** Opens an existing log for reading; a missing directory is a clear error, not a new empty log. */
export async function openExistingLog(dir: string | undefined, onReport?: (r: StoreReport) => void): Promise<EventLog> {
  const path = requireLogDir(dir);
  if (!existsSync(path)) {
    throw new MeshfoldError('CLI_NOT_FOUND', `no log at ${path} (record one first: meshfold record --log ${path} FILE)`);
  }
  return EventLog.openDir(path, { createIfMissing: false, ...(onReport && { onReport }) });
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
