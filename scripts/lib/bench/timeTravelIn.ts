import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SERVING_HEAP } from '@meshfold/replay';

/** What `timeTravelChild` measures: p50 and p99 with the log's snapshots, and without them when asked. */
export interface TimeTravelFigures { p50Ms: number; p99Ms: number; withoutSnapshots?: { p50Ms: number; p99Ms: number } }

/**
 * The state at `travels` random seqs of the log at `location` (a directory or a nats:// location),
 * then at `travelsWithout` replaying from seq 1, in a process of its own (timeTravelChild) with
 * the young generation `meshfold serve` has.
 */
export async function timeTravelIn(location: string, travels: number, travelsWithout: number): Promise<TimeTravelFigures> {
  const child = fileURLToPath(new URL('../../timeTravelChild.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [`--max-semi-space-size=${SERVING_HEAP.semiSpaceMb}`, child, location, String(travels), String(travelsWithout)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as TimeTravelFigures;
}
