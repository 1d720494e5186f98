import { Projector, type WatchEvent } from '@meshfold/core';
import { serviceEntry, workloadEntry } from '../scenario.js';

/**
 * Mean microseconds of one WorkloadEntry relabel (through `apply`, deltas included) in meshes of
 * `small` and `large` ServiceEntries, each selecting one workload: the work must not grow with the
 * mesh. Rounds alternate between the two meshes and the median round counts, so JIT warm-up and
 * a noisy neighbour do not land on one side only.
 */
export function relabelMicros(small: number, large: number, relabels: number, rounds = 5): { small: number; large: number } {
  const meshes = [mesh(small), mesh(large)] as const;
  const events = relabelEvents(relabels);
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    meshes.forEach((projector, i) => {
      const start = performance.now();
      for (const event of events) projector.apply(event);
      times[i]!.push(((performance.now() - start) * 1000) / relabels);
    });
  }
  return { small: median(times[0]), large: median(times[1]) };
}

function mesh(ses: number): Projector {
  const projector = new Projector();
  for (let i = 0; i < ses; i++) {
    projector.replay({ type: 'ADDED', object: serviceEntry(i, 'selector', 0) });
    projector.replay({ type: 'ADDED', object: workloadEntry(i, `svc-${i}`) });
  }
  return projector;
}

/** Workloads 0..99 moving back and forth between svc-n and svc-(n+1); built up front, so the timing holds the fold only. */
function relabelEvents(count: number): WatchEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    type: 'MODIFIED' as const, object: workloadEntry(k % 100, `svc-${(k % 100) + (Math.floor(k / 100) % 2)}`),
  }));
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
