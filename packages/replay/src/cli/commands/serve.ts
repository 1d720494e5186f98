import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { startInspector, type InspectorOptions } from '../../serve/startInspector.js';
import { stopSignals } from '../../recording/stopSignals.js';

/**
 * `meshfold serve`: the inspector over an open log until SIGINT, SIGTERM or SIGHUP. Respawned for
 * its young generation (respawnWithHeap), it gets a Ctrl-C both directly and relayed: stopSignals
 * counts that as one stop, and a second one exits at once. The end of the process that respawned
 * it comes as a SIGHUP (see listenForRelayedSignals), so it never outlives that process.
 */
export async function serve(log: EventLog, options: InspectorOptions, io: Io): Promise<number> {
  const inspector = await startInspector(log, { ...options, warn: (text) => io.err(text) });
  io.out(`meshfold inspector at ${inspector.url}${options.follow ? ' (following the log)' : ''}; Ctrl-C to stop\n`);
  const stop = stopSignals();
  try {
    await stop.stopped;
    await inspector.close();
  } finally {
    stop.dispose();
  }
  return 0;
}
