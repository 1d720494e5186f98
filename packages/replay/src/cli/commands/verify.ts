import type { StoreReport } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { openExistingLog, withLog } from '../../io/openLog.js';
import { progress } from '../../io/progress.js';
import { verifyLog } from '../../queries/verifyLog.js';

/** `meshfold verify`: replays the whole log (verifyLog) with a progress bar, and prints what it checked. */
export async function verify(dir: string | undefined, io: Io): Promise<number> {
  // Verify opens the log itself, to see the store's warnings at open: they fail a verify.
  const reports: StoreReport[] = [];
  const log = await openExistingLog(dir, (r) => reports.push(r));
  return withLog(log, async () => {
    const bar = progress('verify', io.interactive ? process.stderr : ({ isTTY: false } as NodeJS.WriteStream));
    const r = await verifyLog(log, reports, (done, total) => bar.update(done, total)).finally(() => bar.done());
    io.out(`ok: ${r.events} events (seq 1..${r.lastSeq}), ${r.snapshots} snapshots verified${r.foreignSnapshots ? `, ${r.foreignSnapshots} of another projector version skipped` : ''}\n`);
    if (r.uncheckedEvents + r.uncheckedSnapshots > 0) {
      // Written before values carried checksums: they decode, but a changed byte would go unseen.
      io.out(`unchecked: ${r.uncheckedEvents} events and ${r.uncheckedSnapshots} snapshots are of value format 1, without a checksum\n`);
    }
    if (r.linkIndexThrough > 0) io.out(`link index: seq 1..${r.linkIndexThrough} holds what replay gives\n`);
    io.out(`state hash ${r.hash}\n`);
    return 0;
  });
}
