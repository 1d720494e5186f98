import { from } from 'rxjs';
import { project, Projector, type WatchEvent } from '@meshfold/core';
import { churnEvents } from '../scenario.js';

/**
 * Mean microseconds per event of the same churn stream folded by `Projector.apply` in a loop and
 * by the `project()` operator over an Observable of it: what following a stream costs beyond the
 * fold itself. Rounds alternate between the two and the median round counts, so JIT warm-up and a
 * noisy neighbour do not land on one side only. Events are built up front; every step is consumed.
 */
export function operatorMicros(events: number, ses: number, wes: number, rounds = 5): { apply: number; operator: number } {
  const input = [...churnEvents({ events, ses, wes })];
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    times[0].push(timed(input, (list) => {
      const projector = new Projector();
      let deltas = 0;
      for (const event of list) deltas += projector.apply(event).deltas.length;
      return deltas;
    }));
    times[1].push(timed(input, (list) => {
      let deltas = 0;
      from(list).pipe(project()).subscribe((step) => { deltas += step.deltas.length; });
      return deltas;
    }));
  }
  return { apply: median(times[0]), operator: median(times[1]) };
}

function timed(input: WatchEvent[], fold: (events: WatchEvent[]) => number): number {
  const start = performance.now();
  if (fold(input) === 0) throw new Error('the stream folded to no deltas: not a measurement of the fold');
  return ((performance.now() - start) * 1000) / input.length;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
