import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A compiled fixture (dist/test/fixtures/NAME) running in its own node process. */
export interface FixtureProcess {
  child: ChildProcess;
  /** Resolves with the first stdout line, seen from now on, that `match` accepts. */
  lineMatching(match: (line: string) => boolean): Promise<string>;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves once the process has exited and its output is fully read. */
  closed: Promise<void>;
}

export function spawnFixture(name: string, args: string[]): FixtureProcess {
  const path = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, [path, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiting) {
      if (waiter.match(line)) {
        waiting.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const closed = once(child, 'close').then(() => undefined);
  const lineMatching = (match: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      waiting.add({ match, resolve });
      closed.then(() => reject(new Error(`fixture ${name} exited before printing the expected line`)), reject);
    });
  return { child, lineMatching, lines, closed };
}
