import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EventLog, type AppendEvent } from '@meshfold/store';
import { churnEvents } from '../scenario.js';

export interface FollowerLag {
  p50Ms: number;
  p99Ms: number;
  /** Events whose delta the follower timed (an event that changes nothing emits none). */
  samples: number;
  eventsPerSec: number;
}

/**
 * A recorder appends `rate` events a second, a batch every `intervalMs` (as `record` appends
 * whenever its input pauses), while a follower in another process — `followLog` piped into
 * `project()` — folds them. Each event's lag is when the follower had its delta less when the
 * recorder's append was acknowledged. Both processes read the same clock: the system's wall
 * clock at their start plus their monotonic clock since (`performance.timeOrigin + now()`): on
 * one machine, one clock.
 */
export async function followerLag(servers: string, replicas: number, events: number, rate: number, intervalMs = 50): Promise<FollowerLag> {
  const location = `${servers}/lag`;
  const log = await EventLog.openNats(location, { replicas });
  const all: AppendEvent[] = [...churnEvents({ events, ses: 200, wes: 1000 })];
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../followerChild.js', import.meta.url)), location, String(events)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  // A first event, untimed: the follower's consumer is in place once it has it.
  await log.append(all.slice(0, 1));
  if ((await lines.next()).value !== 'following') throw new Error('the follower did not start');
  const acked: number[] = new Array(events + 1);
  const perBatch = Math.max(1, Math.round((rate * intervalMs) / 1000));
  const start = performance.now();
  for (let i = 1, tick = 0; i < all.length; i += perBatch, tick++) {
    // A steady pace: each batch at its own moment, not after the previous one's delay.
    const wait = start + tick * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const seqs = await log.append(all.slice(i, i + perBatch));
    const at = performance.timeOrigin + performance.now();
    for (const seq of seqs) acked[seq] = at;
  }
  const eventsPerSec = (events - 1) / ((performance.now() - start) / 1000);
  const answer = await lines.next();
  await new Promise((resolve) => child.once('exit', resolve));
  await log.close();
  const seen = JSON.parse(String(answer.value)) as [seq: number, atMs: number][];
  const lags = seen.filter(([seq]) => acked[seq] !== undefined).map(([seq, at]) => at - acked[seq]!).sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))]!;
  return { p50Ms: pct(0.5), p99Ms: pct(0.99), samples: lags.length, eventsPerSec };
}
