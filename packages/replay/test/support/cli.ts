/**
 * Drives the real `meshfold` binary as a child process, as a user's shell would: the CLI tests
 * go through argument parsing, stdout/stderr, exit codes and a LevelDB directory on disk.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';

export interface CliResult {
  /** Exit status (a signal death fails the call instead). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed; without it stdin is closed at once. */
  stdin?: string | Buffer;
  cwd?: string;
  /** Kills the child and fails after this many ms (default 20 s). */
  timeoutMs?: number;
}

/** The monorepo root: the nearest ancestor of this file whose package.json declares workspaces. */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

export const MESHFOLD_BIN = join(REPO_ROOT, 'packages', 'replay', 'bin', 'meshfold.js');

/** The demo stream: 11 events of a kubectl watch, pretty-printed. */
export const DEMO_STREAM = join(REPO_ROOT, 'scripts', 'demo', 'demo-stream.json');

/** Runs `node packages/replay/bin/meshfold.js ...args` and collects its output and exit status. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MESHFOLD_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // The child may exit before reading all of stdin (e.g. a usage error): that is not our failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`meshfold ${args.join(' ')}: no exit after ${options.timeoutMs ?? 20_000} ms`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === null) {
        reject(new Error(`meshfold ${args.join(' ')} died of ${String(signal)}; stderr: ${stderr}`));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI and fails, showing stderr, unless it exits 0; returns stdout parsed as JSON. */
export async function cliJson<T = unknown>(args: readonly string[], options: RunOptions = {}): Promise<T> {
  const r = await runCli(args, options);
  assert.is(r.code, 0, `meshfold ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`meshfold ${args.join(' ')}: stdout is not JSON: ${r.stdout}`);
  }
}

/** Fails unless the command succeeded; returns the result for further checks. */
export async function cliOk(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const r = await runCli(args, options);
  assert.is(r.code, 0, `meshfold ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

/**
 * The CLI error contract: non-zero exit, and stderr is exactly one line `CODE: message`.
 * Returns the message.
 */
export function assertOneLineError(r: CliResult, code: string, exitCode?: number): string {
  assert.ok(r.code !== 0, `expected a failure with ${code}, got exit 0; stdout: ${r.stdout}`);
  if (exitCode !== undefined) assert.is(r.code, exitCode, `exit status (stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.is(lines.length, 1, `stderr must be one line, got: ${JSON.stringify(r.stderr)}`);
  assert.ok(r.stderr.endsWith('\n'), 'stderr ends with a newline');
  assert.ok(lines[0]!.startsWith(`${code}: `), `stderr must start with "${code}: ", got: ${lines[0]}`);
  return lines[0]!.slice(code.length + 2);
}

/** Non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** A fresh directory under the OS temp dir, removed with everything inside by `remove`. */
export interface TempDir {
  path: string;
  /** A path inside the directory. */
  join(...parts: string[]): string;
  /** Writes a file inside the directory and returns its path. */
  write(name: string, content: string | Buffer): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(prefix = 'meshfold-cli-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    join: (...parts) => join(path, ...parts),
    write: async (name, content) => {
      const file = join(path, name);
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** A kubectl `-w -o json --output-watch-events` stream: pretty-printed events, one after another. */
export function watchStream(events: readonly unknown[]): string {
  return `${events.map((e) => JSON.stringify(e, null, 4)).join('\n')}\n`;
}

/**
 * Splits a pretty-printed watch stream as kubectl writes it (each top-level `{` at the start of
 * a line) into its events.
 */
export function parseWatchStream(text: string): unknown[] {
  return text.split(/\n(?=\{)/).filter((s) => s.trim() !== '').map((s) => JSON.parse(s) as unknown);
}

/**
 * Matches `recorded N events (seq A..B); rejected R; skipped S` and returns the numbers;
 * `skipped` only when S is not 0, so most tests compare {count, first, last, rejected}.
 */
export function recordSummary(stdout: string): { count: number; first?: number; last?: number; rejected: number; skipped?: number } {
  const m = /^recorded (\d+) events? \((?:seq (\d+)\.\.(\d+)|nothing appended)\); rejected (\d+); skipped (\d+)$/m.exec(stdout);
  assert.ok(m, `record's summary line not found in: ${JSON.stringify(stdout)}`);
  return {
    count: Number(m![1]),
    ...(m![2] !== undefined && { first: Number(m![2]), last: Number(m![3]) }),
    rejected: Number(m![4]),
    ...(m![5] !== '0' && { skipped: Number(m![5]) }),
  };
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in (JSON.parse(readFileSync(pkg, 'utf8')) as object)) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json with workspaces above ${start}`);
  }
}
