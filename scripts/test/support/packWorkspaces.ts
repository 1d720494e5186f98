import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { npmEnv } from './npmEnv.js';

const run = promisify(execFile);

export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

export interface Tarball {
  readonly name: string;
  /** Absolute path of the .tgz. */
  readonly file: string;
  /** What the tarball holds, paths relative to the package root. */
  readonly files: readonly PackedFile[];
}

/**
 * `npm pack` of the given workspaces of the monorepo at `root` into `destination`, exactly as a
 * release would make them: each package's `prepack` runs (build, LICENSE copy).
 */
export async function packWorkspaces(root: string, workspaces: readonly string[], destination: string): Promise<Tarball[]> {
  const args = ['pack', '--json', '--pack-destination', destination, ...workspaces.flatMap((w) => ['-w', w])];
  // npm prints the prepack banners on stderr and the JSON report alone on stdout.
  const { stdout } = await run('npm', args, { cwd: root, env: npmEnv(), maxBuffer: 16 << 20, timeout: 180_000 });
  const report = JSON.parse(stdout) as { name: string; filename: string; files: PackedFile[] }[];
  return report.map(({ name, filename, files }) => ({ name, file: join(destination, filename), files }));
}
