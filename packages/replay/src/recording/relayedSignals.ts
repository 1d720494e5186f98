import { constants } from 'node:os';

/**
 * The environment variable that marks a recorder started by `respawnWithHeap`: its parent
 * relays the stop signals it receives over the IPC channel.
 */
export const SIGNAL_RELAY_ENV = 'MESHFOLD_SIGNAL_RELAY';

type Listener = (signal: NodeJS.Signals) => void;

const listeners = new Set<Listener>();
let listening = false;

/**
 * Signals the parent process relayed, in a recorder it respawned. A signal may reach this process
 * twice (a terminal's Ctrl-C and a service manager's stop reach the whole process group, the parent
 * relays it too) or once by either path, so a listener counts each path separately (see
 * stopSignals). With no listener a relayed signal is raised on this process, so the process reacts
 * to it as it would to the signal itself (a default SIGINT ends it). Outside a respawned recorder
 * this does nothing.
 */
export function onRelayedSignal(listener: Listener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/**
 * Starts taking the relayed signals, in a recorder `respawnWithHeap` started (from its first
 * moment: a signal relayed before the recording installs its handlers must still end it).
 */
export function listenForRelayedSignals(): void {
  if (!listening && process.env[SIGNAL_RELAY_ENV] === '1' && process.send) {
    listening = true;
    process.on('message', (message: { signal?: unknown }) => {
      const signal = message?.signal;
      if (typeof signal === 'string' && signal in constants.signals) deliver(signal as NodeJS.Signals);
    });
    // The parent is gone (killed by SIGKILL, or crashed) without relaying anything: nobody is left
    // to stop this recorder, which would go on holding the log's lock. Its parent's end, as a
    // terminal's hangup is: a SIGHUP, so what was read is appended and the summary printed.
    process.on('disconnect', () => {
      process.stderr.write('the process that started this one is gone: stopping as on SIGHUP\n');
      deliver('SIGHUP');
    });
    // The channel only carries relayed signals: it must not keep the recorder alive.
    (process.channel as { unref?: () => void } | undefined)?.unref?.();
  }
}

/** Relayed copies still to come of signals this process already took directly (see {@link dropRelayedCopies}). */
const owed = new Map<NodeJS.Signals, number>();

/**
 * Notes that `count` relayed copies of `signal` are still to come and belong to signals already
 * handled: a signal sent to the process group reaches this process at once and its parent too,
 * which relays it later. A command that stopped on the direct one may be done before the copy
 * arrives; dropped here, the copy neither reaches a later listener nor is raised on the process.
 */
export function dropRelayedCopies(signal: NodeJS.Signals, count: number): void {
  if (count > 0) owed.set(signal, (owed.get(signal) ?? 0) + count);
}

/** A relayed signal to the listeners, or raised on this process when there is none. */
function deliver(signal: NodeJS.Signals): void {
  const copies = owed.get(signal) ?? 0;
  if (copies > 0) {
    owed.set(signal, copies - 1);
    return;
  }
  if (listeners.size === 0) process.kill(process.pid, signal);
  else for (const l of [...listeners]) l(signal);
}
