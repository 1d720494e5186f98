import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SeedMode } from '../scenario.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('../../memoryChild.js', import.meta.url));

export interface MemoryFigure { bytesPerEndpoint: number; retainedBytes: number }

/** One fresh process per measurement, so nothing of an earlier one is still on the heap. */
export async function measureMemory(mode: SeedMode, ses: number, endpoints: number): Promise<MemoryFigure> {
  const { stdout } = await run(process.execPath, ['--expose-gc', child, mode, String(ses), String(endpoints)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as MemoryFigure;
}
