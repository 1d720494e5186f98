/**
 * Child process of the benchmark: a service following a JetStream log, as the README shows it —
 * `followLog` piped into `project()` — that notes when it had the delta of each seq. Prints
 * `following` once the first event arrived (the consumer is in place), then, once seq `count` is
 * folded, one JSON array of [seq, epoch ms].
 */
import { project } from '@meshfold/core';
import { EventLog, followLog } from '@meshfold/store';
import { tap } from 'rxjs';

const [location, count] = [process.argv[2]!, Number(process.argv[3])];
const log = await EventLog.open(location, { readOnly: true });
const seen: [number, number][] = [];
let last = 0;
const done = new Promise<void>((resolve, reject) => {
  followLog(log, { from: 1 })
    // The fold of an event runs synchronously after this, so a microtask queued here sees its delta.
    .pipe(tap((event) => {
      if (last === 0) process.stdout.write('following\n');
      last = event.seq;
      if (last >= count) queueMicrotask(resolve);
    }), project())
    .subscribe({ next: (step) => { seen.push([step.seq, performance.timeOrigin + performance.now()]); }, error: reject });
});
await done;
process.stdout.write(`${JSON.stringify(seen)}\n`);
await log.close();
