import type { EventLog } from '@meshfold/store';
import type { Io } from '../../io/Io.js';
import { startInspector, type InspectorOptions } from '../../serve/startInspector.js';
import { untilSignal } from '../untilSignal.js';

/** `meshfold serve`: the inspector over an open log until SIGINT or SIGTERM. */
export async function serve(log: EventLog, options: InspectorOptions, io: Io): Promise<number> {
  const inspector = await startInspector(log, { ...options, warn: (text) => io.err(text) });
  io.out(`meshfold inspector at ${inspector.url}${options.follow ? ' (following the log)' : ''}; Ctrl-C to stop\n`);
  await untilSignal();
  await inspector.close();
  return 0;
}
