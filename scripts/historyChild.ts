/**
 * Child process of the benchmark: `history` of random objects of a recorded log, answered as the
 * inspector answers `/api/history` (one open log, in a process that does only that), warmed up
 * first. Prints p50 and p99 in ms, and how many entries the answers held; then the same for
 * `without` other objects answered without the link index (reading the events alone).
 */
import { EventLog } from '@meshfold/store';
import { historyJson, type HistoryOptions } from '@meshfold/replay';
import { seededRandom } from './lib/random.js';

const [dir, count, without] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4] ?? 0)];
const log = await EventLog.openDir(dir, { readOnly: true });
const random = seededRandom(8123);
// Both kinds: a ServiceEntry's history holds its workloads' association changes, a workload's its own churn.
const objects = [...await log.identities('ServiceEntry/'), ...await log.identities('WorkloadEntry/')];
const pick = () => objects[Math.floor(random() * objects.length)]!;

for (let i = 0; i < 3; i++) await historyJson(log, pick());
const timed = async (n: number, options: HistoryOptions) => {
  const ms: number[] = [];
  let entries = 0;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    entries += (await historyJson(log, pick(), options)).entries.length;
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const pct = (p: number) => Number(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1));
  return { p50Ms: pct(0.5), p99Ms: pct(0.99), objects: n, meanEntries: Math.round(entries / n) };
};
const figures = await timed(count, {});
const withoutLinkIndex = without > 0 ? await timed(without, { linkIndex: false }) : undefined;
await log.close();
process.stdout.write(JSON.stringify({ ...figures, ...(withoutLinkIndex && { withoutLinkIndex }) }));
