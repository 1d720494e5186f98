import { terminalSafe } from './terminalSafe.js';

/** Where a command writes; the CLI passes the process streams, tests pass buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars). */
  readonly interactive: boolean;
  readonly stdin: AsyncIterable<Buffer | string>;
  /** Whether anything written was lost because its reader went away (EPIPE). */
  readonly outputLost?: boolean;
}

/**
 * The process's streams. stderr only carries messages for people, so control characters in them
 * are made visible and very long lines are cut (`terminalSafe`). A stream whose reader went away
 * (`meshfold record … 2>&1 >/dev/null | head -1`) stops being written to, and nothing else stops:
 * a recorder keeps recording; `outputLost` tells the exit status.
 */
export function processIo(): Io {
  return (shared ??= streamsIo());
}

let shared: Io | undefined;

function streamsIo(): Io {
  let lost = false;
  const guard = (stream: NodeJS.WriteStream) => {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      lost = true;
    });
    return (text: string) => {
      if (!lost && !stream.destroyed) stream.write(text);
    };
  };
  const out = guard(process.stdout);
  const err = guard(process.stderr);
  return {
    out,
    err: (text) => err(terminalSafe(text)),
    interactive: Boolean(process.stderr.isTTY),
    stdin: process.stdin,
    get outputLost() { return lost; },
  };
}
