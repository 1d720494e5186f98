import { MeshfoldError, isMeshfoldError } from '@meshfold/core';
import { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { requireLogDir, withLog } from '../../io/openLog.js';
import { progress } from '../../io/progress.js';
import { indexLinks } from '../../linkIndex/indexLinks.js';
import { LINK_INDEX } from '../../linkIndex/linkIndexName.js';

/**
 * `meshfold reindex`: brings the link index `history` reads up to the end of an existing log (one
 * recorded before meshfold kept it, or appended to by another writer), replaying from where it
 * ends. `rebuild`: drops the index first and builds it from seq 1 (one `verify` found wrong).
 * Nothing else in the log is written.
 */
export async function reindex(dir: string | undefined, io: Io, options: { rebuild?: boolean } = {}): Promise<number> {
  const path = requireLogDir(dir);
  let log: EventLog;
  try {
    log = await EventLog.open(path, { createIfMissing: false });
  } catch (err) {
    if (!isMeshfoldError(err) || err.code !== 'STORE_NOT_FOUND') throw err;
    throw new MeshfoldError('STORE_NOT_FOUND', `${err.message} (record one first: meshfold record --log ${path} FILE)`, err.details);
  }
  return withLog(log, async () => {
    if (!log.capabilities.derivedIndexes) {
      throw new MeshfoldError('STORE_INDEX_REJECTED', `${path}: a ${log.capabilities.backend} log keeps no link index; history reads its events instead`);
    }
    if (options.rebuild) await log.dropIndex(LINK_INDEX);
    const before = await log.indexedThrough(LINK_INDEX);
    if (before >= log.lastSeq) {
      io.out(log.lastSeq === 0 ? 'ok: the log is empty\n' : `ok: the link index already covers seq 1..${log.lastSeq}\n`);
      return 0;
    }
    const bar = progress('reindex', io.interactive ? process.stderr : ({ isTTY: false } as NodeJS.WriteStream));
    const after = await indexLinks(log, (done, total) => bar.update(done, total)).finally(() => bar.done());
    io.out(`indexed seq ${before + 1}..${after}: the link index covers seq 1..${after}\n`);
    return 0;
  });
}
