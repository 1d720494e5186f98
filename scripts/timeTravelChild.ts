/**
 * Child process of the benchmark: the state at random seqs of a recorded log (a directory or a
 * nats:// location), in a process that
 * does only that (like `meshfold serve`), warmed up first. Prints p50 and p99 in ms with the
 * log's snapshots, and the same (over fewer seqs) replaying from seq 1 without them.
 */
import { Projector } from '@meshfold/core';
import { EventLog, loadState, replayOnto } from '@meshfold/store';
import { seededRandom } from './lib/random.js';

const [dir, travels, travelsWithout] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4] ?? 0)];
// A directory or a nats:// location: the bench travels on LevelDB and on JetStream.
const log = await EventLog.open(dir, { readOnly: true });
const random = seededRandom(4211);
const seqAt = () => 1 + Math.floor(random() * log.lastSeq);

async function percentiles(count: number, travel: (seq: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await travel(seqAt());
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const pct = (p: number) => Number(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1));
  return { p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

for (let i = 0; i < 20; i++) await loadState(log, seqAt());
const withSnapshots = await percentiles(travels, (seq) => loadState(log, seq));
const withoutSnapshots = travelsWithout > 0
  ? await percentiles(travelsWithout, (seq) => replayOnto(log, new Projector(), seq))
  : undefined;
await log.close();
process.stdout.write(JSON.stringify({ ...withSnapshots, withoutSnapshots }));
