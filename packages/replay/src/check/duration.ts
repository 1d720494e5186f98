import { MeshfoldError } from '@meshfold/core';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as Go's `time.ParseDuration` writes it (`5s`, `500ms`, `1m30s`, `1.5h`; `0` alone),
 * in milliseconds: the form operators know from kubectl and istioctl flags. Negative durations
 * are refused: a settle window reaches back from the point.
 */
export function parseDuration(text: string, what = '--settle'): number {
  if (text === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let ms = 0;
  let end = 0;
  for (let m = part.exec(text); m; m = part.exec(text)) {
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = part.lastIndex;
  }
  if (text === '' || end !== text.length) {
    throw new MeshfoldError('CLI_USAGE', `${what} ${JSON.stringify(text)} is not a duration (e.g. 5s, 500ms, 2m, 1m30s)`);
  }
  return ms;
}

/** Milliseconds back as a Go duration, for output: `5s`, `500ms`, `2m0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
