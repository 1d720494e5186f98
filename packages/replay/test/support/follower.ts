// A service following a shared log in its own process: tails the log in argv[2] from seq 1 into a
// Projector, prints `ready` once following, and for a stdin line `until N` prints
// `done <events received> <state hash>` once it holds seq N. A seq out of order (a duplicate or a
// gap) prints `bad <expected> <got>` and exits 1, so the test sees it rather than a wrong hash.
import { createInterface } from 'node:readline';
import { isMeshfoldError, Projector } from '@meshfold/core';
import { EventLog } from '@meshfold/store';

const log = await EventLog.open(process.argv[2]!, { readOnly: true });
const projector = new Projector();
let received = 0;
let target = Number.POSITIVE_INFINITY;

const finish = (line: string, code: number) => {
  process.stdout.write(`${line}\n`);
  subscription.unsubscribe();
  void log.close().finally(() => process.exit(code));
};
const check = () => {
  if (projector.seq >= target) finish(`done ${received} ${projector.hash()}`, 0);
};

const subscription = log.tail(1).subscribe({
  next(event) {
    if (event.seq !== projector.seq + 1) return finish(`bad ${projector.seq + 1} ${event.seq}`, 1);
    received++;
    projector.apply(event, event.seq);
    check();
  },
  error: (err: unknown) => finish(`error ${isMeshfoldError(err) ? err.code : ''} ${String((err as Error).message)}`, 1),
});
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const until = /^until (\d+)$/.exec(line);
  if (until) {
    target = Number(until[1]);
    check();
  }
}
