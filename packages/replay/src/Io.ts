/** Where a command writes; the CLI passes the process streams, tests pass buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars). */
  readonly interactive: boolean;
  readonly stdin: AsyncIterable<Buffer | string>;
}

export const processIo: Io = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
  interactive: Boolean(process.stderr.isTTY),
  stdin: process.stdin,
};
