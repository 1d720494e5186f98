import type { EventLog } from '@meshfold/store';
import { LINK_INDEX } from './linkIndexName.js';

/**
 * Whether a writer appending to `log` now should keep its link index: only where the index can
 * stay whole, on a log it already covers to the end (an empty one included). A log another
 * writer appended to without it gets none until `indexLinks` builds it.
 */
export async function keepsLinkIndex(log: EventLog): Promise<boolean> {
  return log.capabilities.derivedIndexes && await log.indexedThrough(LINK_INDEX) === log.lastSeq;
}
