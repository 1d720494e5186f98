import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MeshfoldError } from '@meshfold/core';

/**
 * Notices that a writer lost LevelDB's lock. LevelDB locks its `LOCK` file with fcntl, which
 * locks the inode, not the name: once the file is deleted, the next opener creates a new one,
 * locks that, and both processes write the same log (each thinking it owns it; only one's batches
 * survive). The writer remembers which inode it locked and checks, before each write, that `LOCK`
 * is still that inode; when it is not, it writes nothing.
 */
export class LockWatch {
  /**
   * Records the identity of `dir`'s LOCK file, as held by a database just opened on `dir`.
   * Already gone (deleted between LevelDB's open and this call) is already lost.
   */
  static start(dir: string, where: string): LockWatch {
    const path = join(dir, 'LOCK');
    const held = identity(path);
    if (held === undefined) throw lost(where, path, 'deleted');
    return new LockWatch(path, held);
  }

  readonly #path: string;
  readonly #held: string;

  private constructor(path: string, held: string) {
    this.#path = path;
    this.#held = held;
  }

  /** Throws STORE_LOG_IN_USE when `LOCK` is gone or is another file than the one locked at open. */
  check(where: string): void {
    const now = identity(this.#path);
    if (now !== this.#held) throw lost(where, this.#path, now === undefined ? 'deleted' : 'replaced');
  }
}

function lost(where: string, path: string, how: string): MeshfoldError {
  return new MeshfoldError(
    'STORE_LOG_IN_USE',
    `${where}: this process no longer holds the log's lock (${path} was ${how} after it was opened, so another process may be writing the log); nothing was written`,
  );
}

/** Device and inode of `path`, or undefined when it does not exist. */
function identity(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats && `${stats.dev}:${stats.ino}`;
}
