/**
 * A progress bar on stderr, only when stderr is a terminal: pipes and CI logs stay clean.
 * Redraws at most ten times a second.
 */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const width = 30;
      const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total || '?'}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
