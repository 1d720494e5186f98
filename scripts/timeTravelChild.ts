/**
 * Child process of the benchmark: the state at random seqs of a recorded log, in a process that
 * does only that (like `meshfold serve`), warmed up first. Prints p50 and p99 in ms.
 */
import { EventLog, loadState } from '@meshfold/store';
import { seededRandom } from './lib/random.js';

const [dir, travels] = [process.argv[2]!, Number(process.argv[3])];
const log = await EventLog.openDir(dir);
const random = seededRandom(4211);
const seqAt = () => 1 + Math.floor(random() * log.lastSeq);
for (let i = 0; i < 20; i++) await loadState(log, seqAt());
const ms: number[] = [];
for (let i = 0; i < travels; i++) {
  const start = performance.now();
  await loadState(log, seqAt());
  ms.push(performance.now() - start);
}
await log.close();
ms.sort((a, b) => a - b);
const pct = (p: number) => Number(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1));
process.stdout.write(JSON.stringify({ p50Ms: pct(0.5), p99Ms: pct(0.99) }));
