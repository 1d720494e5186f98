import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MeshfoldError } from '@meshfold/core';

/**
 * Fails with `STORE_NOT_FOUND` unless `dir` holds a LevelDB database, judged by its `CURRENT`
 * file (LevelDB writes it when it creates a database and never removes it). Checked before
 * LevelDB opens anything, because LevelDB creates `LOCK` and `LOG` even when it then refuses.
 */
export function requireLogDir(dir: string): void {
  if (!existsSync(dir)) {
    throw new MeshfoldError('STORE_NOT_FOUND', `no log at ${dir}: the directory does not exist`, { dir });
  }
  if (!statSync(dir).isDirectory()) {
    throw new MeshfoldError('STORE_NOT_FOUND', `no log at ${dir}: it is a file, not a log directory`, { dir });
  }
  if (!existsSync(join(dir, 'CURRENT'))) {
    throw new MeshfoldError('STORE_NOT_FOUND', `no log at ${dir}: the directory holds no LevelDB database`, { dir });
  }
}
