import { spawn, type ChildProcess } from 'node:child_process';
import { MeshfoldError } from '@meshfold/core';

/** What meshfold asks kubectl for: full resource names, so no other CRD's short name can match. */
export const RESOURCES = ['serviceentries.networking.istio.io', 'workloadentries.networking.istio.io'] as const;

export interface KubectlOptions {
  /** The kubectl to run (a name looked up on PATH, or a path). Default `kubectl`. */
  command?: string;
  context?: string;
  kubeconfig?: string;
  /** One namespace, or every namespace when undefined (`-A`). */
  namespace?: string;
}

/** The user's flags, passed through: `--context`, `--kubeconfig`, then `-n NS` or `-A`. */
export function kubectlFlags(o: KubectlOptions): string[] {
  return [
    ...(o.context ? ['--context', o.context] : []),
    ...(o.kubeconfig ? ['--kubeconfig', o.kubeconfig] : []),
    ...(o.namespace ? ['-n', o.namespace] : ['-A']),
  ];
}

/** A running kubectl: its stdout as a stream, and how it ended. */
export interface KubectlRun {
  readonly args: string[];
  readonly child: ChildProcess;
  readonly stdout: NodeJS.ReadableStream;
  /** Resolves once it exited: its status (null when killed), signal and stderr. */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(): void;
}

/**
 * Starts kubectl. A kubectl that cannot be run (not installed, not on PATH) rejects `ended` with
 * WATCH_KUBECTL_NOT_FOUND instead of looking like a failed command.
 */
export function runKubectl(options: KubectlOptions, args: string[]): KubectlRun {
  const command = options.command ?? 'kubectl';
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => { stderr = (stderr + text).slice(-8192); });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' || err.code === 'EACCES'
        ? new MeshfoldError('WATCH_KUBECTL_NOT_FOUND', `cannot run ${command} (${err.code}): meshfold watch runs the user's kubectl; install it or put it on PATH`)
        : err);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  ended.catch(() => {}); // also awaited by the caller; never an unhandled rejection
  return {
    args, child, stdout: child.stdout!, ended,
    kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); },
  };
}

/**
 * kubectl failures that retrying cannot fix: credentials, permissions, a cluster without
 * Istio's CRDs, a bad flag or context. Everything else (a dropped connection, a server error,
 * a timeout) may pass, so `watch` retries it with backoff once a first relist has worked.
 */
export function isPermanentFailure(stderr: string): boolean {
  return /Unauthorized|Forbidden|forbidden|must be logged in|doesn't have a resource type|could not find the requested resource|unknown flag|unknown shorthand flag|context .*does not exist|context was not found|no configuration has been provided|invalid configuration/.test(stderr);
}

/** The last non-empty line of kubectl's stderr: where it says what went wrong. */
export function lastLine(stderr: string): string {
  return stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? 'no message';
}
