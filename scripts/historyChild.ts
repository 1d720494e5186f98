/**
 * Child process of the benchmark: `history` of random objects of a recorded log, answered as the
 * inspector answers `/api/history` (one open log, in a process that does only that), warmed up
 * first. Prints p50 and p99 in ms, and how many entries the answers held.
 */
import { EventLog } from '@meshfold/store';
import { historyJson } from '@meshfold/replay';
import { seededRandom } from './lib/random.js';

const [dir, count] = [process.argv[2]!, Number(process.argv[3])];
const log = await EventLog.openDir(dir, { readOnly: true });
const random = seededRandom(8123);
// Both kinds: a ServiceEntry's history holds its workloads' association changes, a workload's its own churn.
const objects = [...await log.identities('ServiceEntry/'), ...await log.identities('WorkloadEntry/')];
const pick = () => objects[Math.floor(random() * objects.length)]!;

for (let i = 0; i < 3; i++) await historyJson(log, pick());
const ms: number[] = [];
let entries = 0;
for (let i = 0; i < count; i++) {
  const start = performance.now();
  entries += (await historyJson(log, pick())).entries.length;
  ms.push(performance.now() - start);
}
await log.close();
ms.sort((a, b) => a - b);
const pct = (p: number) => Number(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1));
process.stdout.write(JSON.stringify({ p50Ms: pct(0.5), p99Ms: pct(0.99), objects: count, meanEntries: Math.round(entries / count) }));
