import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { listenForRelayedSignals, SIGNAL_RELAY_ENV } from '../recording/relayedSignals.js';
import { RECORDING_HEAP } from '../recording/recordingHeap.js';
import { STOP_SIGNALS } from '../recording/stopSignals.js';
import { SERVING_HEAP } from '../serve/servingHeap.js';

/**
 * The semi-space (MB) of the commands that run long and allocate per event or per request: the
 * recording ones, whose main thread parses, checks, encodes and appends every event, and serve,
 * whose history answers build and drop their working sets (see the two heap constants).
 */
const SEMI_SPACE_MB_OF_COMMAND: Readonly<Record<string, number>> = {
  record: RECORDING_HEAP.semiSpaceMb,
  watch: RECORDING_HEAP.semiSpaceMb,
  serve: SERVING_HEAP.semiSpaceMb,
};

/**
 * Such a command runs in a child Node process started with its semi-space:
 * the young generation is fixed when V8 starts, so it cannot be set from inside the process (and
 * `NODE_OPTIONS` may not name it for every user). Not when the process already chose a semi-space
 * size itself (`node --max-semi-space-size=…`, or in `NODE_OPTIONS`), nor under a debugger.
 *
 * Returns undefined when this process is to run the command itself, or the child's exit status.
 * The child shares stdin, stdout and stderr; the stop signals this process receives are relayed
 * to it (see onRelayedSignal), so it stops as the command run directly does; a child killed by a
 * signal makes this process die of the same one.
 */
export function respawnWithHeap(argv: readonly string[]): Promise<number> | undefined {
  if (process.env[SIGNAL_RELAY_ENV] === '1') {
    listenForRelayedSignals();
    return undefined;
  }
  const semiSpaceMb = Object.hasOwn(SEMI_SPACE_MB_OF_COMMAND, argv[0] ?? '') ? SEMI_SPACE_MB_OF_COMMAND[argv[0]!] : undefined;
  if (semiSpaceMb === undefined) return undefined;
  const chosen = (flags: readonly string[]) => flags.some((f) => /^--max[-_]semi[-_]space[-_]size\b/.test(f));
  if (chosen(process.execArgv) || chosen((process.env.NODE_OPTIONS ?? '').split(/\s+/))) return undefined;
  // Someone debugging this process (`node --inspect-brk`) means to step through the command itself.
  if (process.execArgv.some((f) => f.startsWith('--inspect'))) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, `--max-semi-space-size=${semiSpaceMb}`, process.argv[1]!, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [SIGNAL_RELAY_ENV]: '1' },
  });
  const relay = (signal: NodeJS.Signals) => {
    if (child.connected) child.send({ signal }, () => {});
    else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, relay);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      for (const s of STOP_SIGNALS) process.off(s, relay);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      for (const s of STOP_SIGNALS) process.off(s, relay);
      if (signal !== null) {
        process.kill(process.pid, signal);
        resolve(128 + (constants.signals[signal] ?? 0)); // if that signal does not end this process
      } else resolve(code ?? 1);
    });
  });
}
