import type { EventLog } from '@meshfold/store';
import type { Io } from '../io/Io.js';
import { snapshotLoader, type StateLoader } from '../queries/StateLoader.js';

/** The states a command reads: from the log's snapshots, with the store's warnings on stderr. */
export function stateLoader(log: EventLog, io: Io): StateLoader {
  return snapshotLoader(log, (r) => io.err(`warning: ${r.code}: ${r.message}\n`));
}
