/**
 * Child process of the benchmark (run with --expose-gc): builds the seed scenario's state and
 * prints retained bytes per endpoint — heapUsed + arrayBuffers after forced GC, above the same
 * figure taken before any event, so module code and the runtime are not counted.
 */
import { Projector, sizeOf } from '@meshfold/core';
import { seedEvents, type SeedMode } from './lib/scenario.js';

const [mode, ses, endpoints] = [process.argv[2] as SeedMode, Number(process.argv[3]), Number(process.argv[4])];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function retained(): number {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const before = retained();
const projector = new Projector();
for (const event of seedEvents(ses, endpoints, mode)) projector.replay(event);
const after = retained();
const stats = sizeOf(projector.state);
process.stdout.write(JSON.stringify({
  bytesPerEndpoint: (after - before) / (ses * endpoints),
  retainedBytes: after - before,
  serviceEntries: stats.serviceEntries,
  workloadEntries: stats.workloadEntries,
}));
