import { constants } from 'node:os';

/** The signals that end a recording cleanly: Ctrl-C, a service manager's stop, a closed terminal. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopSignals {
  /** Resolves with the first stop signal received. */
  readonly stopped: Promise<NodeJS.Signals>;
  /** The first stop signal received, if any. */
  readonly signal: NodeJS.Signals | undefined;
  /** Removes the handlers: the process's default reaction to these signals applies again. */
  dispose(): void;
}

/**
 * Catches SIGINT, SIGTERM and SIGHUP so that a recorder can append what it has read, print its
 * summary and close its log before exiting. A second signal while that is still under way exits
 * at once (status 128 + signal number), as a user pressing Ctrl-C twice expects; appends are
 * atomic batches, so that loses at most the batch being written, never half of one.
 */
export function stopSignals(signals: readonly NodeJS.Signals[] = STOP_SIGNALS): StopSignals {
  let received: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const on = (signal: NodeJS.Signals) => {
    if (received !== undefined) process.exit(128 + (constants.signals[signal] ?? 0));
    received = signal;
    resolve(signal);
  };
  for (const s of signals) process.on(s, on);
  return {
    stopped,
    get signal() { return received; },
    dispose() { for (const s of signals) process.off(s, on); },
  };
}
