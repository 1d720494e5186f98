import { isMeshfoldError, Projector } from '@meshfold/core';
import { loadState, type EventLog } from '@meshfold/store';
import { LinkBlockBuilder } from './LinkBlockBuilder.js';
import { LINK_INDEX } from './linkIndexName.js';

/**
 * Brings the link index of a log up to its last seq: from where the index ends, the state there
 * is loaded and every later event replayed, one batch of blocks per read batch. For a log that a
 * writer without the index recorded (`ProjectedLog`, an older meshfold) and for tests; `record`
 * keeps the index as it goes; `meshfold reindex` runs this. Resolves with the seq the index now covers.
 */
export async function indexLinks(log: EventLog, onProgress?: (done: number, total: number) => void): Promise<number> {
  let through = await log.indexedThrough(LINK_INDEX);
  if (through >= log.lastSeq) return through;
  const projector = through === 0 ? new Projector() : await loadState(log, through);
  const builder = new LinkBlockBuilder();
  for await (const batch of log.readBatches({ from: through + 1 })) {
    for (const event of batch) {
      try {
        builder.add(event.seq, event, projector.replay(event, event.seq));
      } catch (err) {
        if (!isMeshfoldError(err)) throw err;
        projector.skip(event.seq);
      }
    }
    const last = batch.at(-1)!.seq;
    await log.putIndexBlocks(LINK_INDEX, through + 1, last, builder.take());
    through = last;
    onProgress?.(through, log.lastSeq);
  }
  return through;
}
