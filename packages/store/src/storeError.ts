import { isMeshfoldError, MeshfoldError, type ErrorCode } from '@meshfold/core';

interface CodedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/**
 * Translates an abstract-level failure into a MeshfoldError, so callers match on meshfold
 * codes and no LevelDB error shape leaks out of the store. `where` names the log and the
 * operation, e.g. `log /data/x: append`. MeshfoldErrors pass through unchanged.
 */
export function storeError(err: unknown, where: string): MeshfoldError {
  if (isMeshfoldError(err)) return err;
  const code = storeCode(err);
  return new MeshfoldError(code, `${where}: ${explain(code, err)}`, { cause: err });
}

/**
 * Like {@link storeError}, for opening an existing database: LevelDB reports a file that its
 * CURRENT or MANIFEST names but that is gone as an I/O error, and that is damage too.
 */
export function storeOpenError(err: unknown, where: string): MeshfoldError {
  const error = storeError(err, where);
  if (error.code !== 'STORE_IO' || !/No such file or directory/.test(error.message)) return error;
  const damaged = new MeshfoldError('STORE_CORRUPT_DATABASE', `${where}: a file the database needs is missing (${error.message.slice(where.length + 2)})`, error.details);
  Object.defineProperty(damaged, 'cause', { value: err, enumerable: false });
  return damaged;
}

function storeCode(err: unknown): ErrorCode {
  const { code, cause } = (err ?? {}) as CodedError;
  if (code === 'LEVEL_LOCKED' || codeOf(cause) === 'LEVEL_LOCKED') return 'STORE_LOG_IN_USE';
  // Before the not-open codes: a database that fails to open because its files are damaged says
  // so only in the cause.
  if (code === 'LEVEL_CORRUPTION' || codeOf(cause) === 'LEVEL_CORRUPTION') return 'STORE_CORRUPT_DATABASE';
  if (code === 'LEVEL_DATABASE_NOT_OPEN') return cause === undefined ? 'STORE_NOT_OPEN' : 'STORE_IO';
  if (code === 'LEVEL_ITERATOR_NOT_OPEN' || code === 'LEVEL_BATCH_NOT_OPEN') return 'STORE_NOT_OPEN';
  return 'STORE_IO';
}

function explain(code: ErrorCode, err: unknown): string {
  if (code === 'STORE_LOG_IN_USE') return 'log is in use by another process (LevelDB lock is held)';
  if (code === 'STORE_NOT_OPEN') return 'log is not open';
  const { message, cause } = (err ?? {}) as CodedError;
  const detail = cause instanceof Error ? `${String(message)}: ${cause.message}` : String(message ?? err);
  return code === 'STORE_CORRUPT_DATABASE' ? `LevelDB reports its files damaged (${detail})` : detail;
}

function codeOf(err: unknown): unknown {
  return (err as CodedError | undefined)?.code;
}

/** Runs a database call and translates whatever it throws, synchronously or not. */
export async function withStoreErrors<T>(where: string, action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw storeError(err, where);
  }
}
