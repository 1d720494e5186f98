import { constants } from 'node:os';
import { dropRelayedCopies, onRelayedSignal } from './relayedSignals.js';

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
 *
 * In a recorder respawned for its young generation (respawnWithHeap) the parent relays the
 * signals it receives, and a signal sent to the whole process group (Ctrl-C in a terminal, a
 * service manager stopping the group) arrives both directly and relayed: each signal counts as
 * often as the more frequent of the two paths brought it, so one Ctrl-C is one stop, not two.
 */
export function stopSignals(signals: readonly NodeJS.Signals[] = STOP_SIGNALS): StopSignals {
  let received: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const direct = new Map<NodeJS.Signals, number>();
  const relayed = new Map<NodeJS.Signals, number>();
  const count = (path: Map<NodeJS.Signals, number>, signal: NodeJS.Signals) => {
    path.set(signal, (path.get(signal) ?? 0) + 1);
    let stops = 0;
    for (const s of signals) stops += Math.max(direct.get(s) ?? 0, relayed.get(s) ?? 0);
    if (stops > 1) process.exit(128 + (constants.signals[signal] ?? 0));
    if (received === undefined) {
      received = signal;
      resolve(signal);
    }
  };
  const onDirect = (signal: NodeJS.Signals) => count(direct, signal);
  for (const s of signals) process.on(s, onDirect);
  const offRelayed = onRelayedSignal((signal) => {
    if (signals.includes(signal)) count(relayed, signal);
  });
  return {
    stopped,
    get signal() { return received; },
    dispose() {
      for (const s of signals) process.off(s, onDirect);
      offRelayed();
      // The relayed copies of what came directly may still be on their way: they were this stop.
      for (const s of signals) dropRelayedCopies(s, (direct.get(s) ?? 0) - (relayed.get(s) ?? 0));
    },
  };
}
