import { setTimeout as sleep } from 'node:timers/promises';
import { MeshfoldError, readInput, type InputItem } from '@meshfold/core';
import { DEFAULT_SNAPSHOT_EVERY, EventLog } from '@meshfold/store';
import type { Io } from '../io/Io.js';
import { requireLogDir, withLog } from '../io/openLog.js';
import { Channel } from './Channel.js';
import {
  isPermanentFailure, kubectlFlags, lastLine, RESOURCES, runKubectl, type KubectlOptions, type KubectlRun,
} from './kubectl.js';
import { onIdle } from './onIdle.js';
import { Recorder } from './Recorder.js';
import { stopSignals, type StopSignals } from './stopSignals.js';
import type { ListenOptions } from '../serve/listenOptions.js';
import { startInspector, type Inspector } from '../serve/startInspector.js';
import { describeSync, IDLE_FLUSH_MS } from './record.js';

export interface WatchOptions extends KubectlOptions {
  log?: string;
  snapshotEvery?: number;
  verbose?: boolean;
  serve?: ListenOptions;
  /** Wait before the first re-sync after a watch ends; doubles while restarts keep coming. Default 1000 ms. */
  retryDelayMs?: number;
  /** Clock for event times, in epoch ms. Default Date.now. */
  now?: () => number;
}

/** The longest wait between restarts. */
const MAX_RETRY_DELAY_MS = 30_000;
/** A watch that lasted this long was healthy: the restart after it waits the first delay again. */
const HEALTHY_WATCH_MS = 60_000;

/** What a round's kubectl watches produced, merged: an item of one, or the end of one. */
type WatchSignal =
  | { resource: string; item: InputItem }
  | { resource: string; ended: { code: number | null; signal: NodeJS.Signals | null; stderr: string } }
  | { resource: string; failed: unknown };

/**
 * `meshfold watch`: a recorder that keeps itself alive. It runs the user's kubectl: a full list,
 * recorded as a relist (`record --sync`), then one watch per kind (kubectl watches one resource
 * type at a time). When a watch ends (the API server closes watches after a while), fails (a
 * dropped connection) or expires (410 Gone), it stops the other, re-syncs and watches again,
 * waiting longer while restarts keep failing. kubectl missing, or failing in a way retrying cannot
 * fix (credentials, no Istio CRDs), is a coded error. SIGINT, SIGTERM, SIGHUP stop it cleanly.
 */
export async function watch(options: WatchOptions, io: Io): Promise<number> {
  const dir = requireLogDir(options.log);
  const log = await EventLog.open(dir);
  const stop = stopSignals();
  const status = statusLine(io);
  let inspector: Inspector | undefined;
  return withLog(log, async () => {
    if (options.serve) {
      inspector = await startInspector(log, { ...options.serve, follow: true, warn: (text) => status.print(text) });
      status.print(`meshfold inspector at ${inspector.url} (following this log)\n`);
    }
    const recorder = await Recorder.open(log, {
      snapshotEvery: options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY,
      verbose: Boolean(options.verbose),
      ...(options.now && { now: options.now }),
      err: (text) => status.print(text),
    });
    const firstDelay = options.retryDelayMs ?? 1000;
    let delay = firstDelay;
    let restarts = 0;
    let relisted = false;
    const show = () => status.update(`watching ${options.namespace ?? 'all namespaces'}: ${recorder.read} events read, last seq ${log.lastSeq}, ${restarts} restart${restarts === 1 ? '' : 's'}`);
    let failure: unknown;
    try {
      while (!stop.signal) {
        const started = Date.now();
        let reason: string | undefined;
        const listed = await relist(recorder, options, stop);
        if (listed.failed !== undefined) {
          // The first relist failing means kubectl cannot reach this cluster as asked: say so, don't loop.
          if (!relisted || listed.permanent) throw new MeshfoldError('WATCH_KUBECTL_FAILED', listed.failed);
          reason = listed.failed;
        } else if (!listed.stopped) {
          relisted = true;
          status.print(`watch: ${describeSync(listed.result!)}`);
          show();
          reason = await watchRound(recorder, options, stop, show);
        }
        if (stop.signal || reason === undefined) break;
        restarts++;
        if (Date.now() - started >= HEALTHY_WATCH_MS) delay = firstDelay;
        status.print(`watch: restart ${restarts}: ${reason}; re-syncing in ${delay} ms\n`);
        show();
        await Promise.race([sleep(delay), stop.stopped]);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    } catch (err) {
      failure = err;
    }
    failure = await recorder.end(failure);
    status.clear();
    if (stop.signal) io.err(`watch: stopped by ${stop.signal}\n`);
    io.out(recorder.summary());
    io.out(`watch: ${restarts} restart${restarts === 1 ? '' : 's'}\n`);
    if (failure) throw failure;
    await inspector?.close();
    return recorder.rejected > 0 ? 1 : 0;
  }).finally(async () => {
    stop.dispose();
    await inspector?.close();
  });
}

/** Lists both kinds and records the list as a relist; `failed` says why kubectl did not. */
async function relist(recorder: Recorder, options: WatchOptions, stop: StopSignals) {
  const args = ['get', RESOURCES.join(','), '-o', 'json', ...kubectlFlags(options)];
  const run = runKubectl(options, args);
  const chunks: Buffer[] = [];
  run.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = await Promise.race([run.ended, stop.stopped.then(() => undefined)]);
  if (ended === undefined) {
    run.kill();
    return { stopped: true };
  }
  if (ended.code !== 0) {
    return { failed: `${describe(run)} failed (${exit(ended)}): ${lastLine(ended.stderr)}`, permanent: isPermanentFailure(ended.stderr) };
  }
  const items: InputItem[] = [];
  for await (const item of readInput(once(Buffer.concat(chunks)), { source: 'kubectl get (relist)' })) items.push(item);
  const result = await recorder.sync(items, options.namespace ? { namespaces: [options.namespace] } : {});
  return { result };
}

/**
 * Watches both kinds until one watch ends, fails or expires; returns why (undefined when stopped
 * by a signal). Events are appended whenever the watches pause, as `record` does.
 */
async function watchRound(recorder: Recorder, options: WatchOptions, stop: StopSignals, show: () => void): Promise<string | undefined> {
  const channel = new Channel<WatchSignal>();
  const runs = RESOURCES.map((resource) => {
    const run = runKubectl(options, ['get', resource, '-w', '--watch-only', '-o', 'json', '--output-watch-events', ...kubectlFlags(options)]);
    const pump = (async () => {
      for await (const item of readInput(run.stdout as AsyncIterable<Buffer>, { source: `kubectl watch ${resource}` })) channel.push({ resource, item });
    })();
    // The end is announced after the last item read from that watch.
    Promise.all([pump, run.ended]).then(
      ([, ended]) => channel.push({ resource, ended }),
      (failed: unknown) => channel.push({ resource, failed }),
    );
    return run;
  });
  try {
    for await (const signal of onIdle(channel, IDLE_FLUSH_MS, async () => { await recorder.flush(); show(); }, stop.stopped)) {
      if ('item' in signal) {
        const status = signal.item.watchStatus;
        if (status) {
          return status.code === 410
            ? `the ${signal.resource} watch expired (410 Gone: ${status.message ?? status.reason ?? 'no message'}); a relist catches up`
            : `the ${signal.resource} watch reported an error: ${signal.item.error!.message}`;
        }
        await recorder.add(signal.item);
        if (recorder.pending === 0) show();
        continue;
      }
      if ('failed' in signal) throw signal.failed;
      const { ended } = signal;
      const run = runs[RESOURCES.indexOf(signal.resource as typeof RESOURCES[number])]!;
      if (ended.code !== 0 && isPermanentFailure(ended.stderr)) {
        throw new MeshfoldError('WATCH_KUBECTL_FAILED', `${describe(run)} failed (${exit(ended)}): ${lastLine(ended.stderr)}`);
      }
      return ended.code === 0
        ? `${describe(run)} ended (exit 0: the API server closes watches after a while)`
        : `${describe(run)} failed (${exit(ended)}): ${lastLine(ended.stderr)}`;
    }
    return undefined; // stopped
  } finally {
    for (const run of runs) run.kill();
    await recorder.flush();
  }
}

async function* once(chunk: Buffer): AsyncGenerator<Buffer> {
  yield chunk;
}

function describe(run: KubectlRun): string {
  return `kubectl ${run.args.slice(0, 2).join(' ')}${run.args.includes('-w') ? ' -w' : ''}`;
}

function exit(ended: { code: number | null; signal: NodeJS.Signals | null }): string {
  return ended.code === null ? `killed by ${String(ended.signal)}` : `exit ${ended.code}`;
}

/** One status line redrawn in place on a terminal; nothing elsewhere. Other lines clear it first. */
function statusLine(io: Io) {
  let shown = false;
  let last = 0;
  const clear = () => {
    if (shown) io.err('\r\x1b[K');
    shown = false;
  };
  return {
    print(text: string) {
      clear();
      io.err(text);
    },
    update(text: string) {
      if (!io.interactive) return;
      const now = performance.now();
      if (shown && now - last < 100) return;
      last = now;
      io.err(`\r\x1b[K${text}`);
      shown = true;
    },
    clear,
  };
}
