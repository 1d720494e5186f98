import { Projector } from '@meshfold/core';
import { serviceEntry, workloadEntry } from '../scenario.js';

/**
 * Mean microseconds of one WorkloadEntry relabel (through `apply`, deltas included) in a mesh
 * of `ses` ServiceEntries, each selecting one workload: the work must not grow with the mesh.
 */
export function relabelMicros(ses: number, relabels: number): number {
  const projector = new Projector();
  for (let i = 0; i < ses; i++) {
    projector.replay({ type: 'ADDED', object: serviceEntry(i, 'selector', 0) });
    projector.replay({ type: 'ADDED', object: workloadEntry(i, `svc-${i}`) });
  }
  // Pre-build the events so the timing holds the fold, not object construction.
  const events = Array.from({ length: relabels }, (_, k) => ({
    type: 'MODIFIED' as const, object: workloadEntry(k % 100, `svc-${(k % 100) + (Math.floor(k / 100) % 2)}`),
  }));
  for (const event of events.slice(0, 1000)) projector.apply(event); // warm up the JIT
  const start = performance.now();
  for (const event of events) projector.apply(event);
  return ((performance.now() - start) * 1000) / relabels;
}
