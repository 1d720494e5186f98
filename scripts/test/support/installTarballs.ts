import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { npmEnv } from './npmEnv.js';

const run = promisify(execFile);

/**
 * Makes `dir` (an empty directory outside the monorepo, so npm cannot see the workspace) a
 * project of its own and `npm install`s the tarballs into it, with `more` registry specs
 * beside them. Their dependencies come from the registry (the npm cache first), as a user's would.
 */
export async function installTarballs(dir: string, tarballs: readonly string[], more: readonly string[] = []): Promise<void> {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'meshfold-consumer', version: '0.0.0', private: true }, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...more], {
    cwd: dir, env: npmEnv(), maxBuffer: 16 << 20, timeout: 300_000,
  });
}
