import { isMeshfoldError, MeshfoldError, readInputBatches, type InputItem } from '@meshfold/core';
import { DEFAULT_SNAPSHOT_EVERY, EventLog } from '@meshfold/store';
import { inputChunks, openInput } from './inputChunks.js';
import type { Io } from '../io/Io.js';
import { requireLogDir, withLog } from '../io/openLog.js';
import { progress } from '../io/progress.js';
import { onIdle } from './onIdle.js';
import { Recorder, type SyncResult } from './Recorder.js';
import { stopSignals } from './stopSignals.js';
import type { ListenOptions } from '../serve/listenOptions.js';
import { startInspector, type Inspector } from '../serve/startInspector.js';

export interface RecordOptions {
  log?: string;
  delete?: boolean;
  snapshotEvery?: number;
  batch?: number;
  /**
   * The inputs together are the complete set of ServiceEntries and WorkloadEntries (in
   * `namespaces` when given): whatever the log holds that is absent gets a synthesized DELETED.
   */
  sync?: boolean;
  namespaces?: string[];
  /** A line on stderr for every event read and every batch appended. */
  verbose?: boolean;
  /** fsync every appended batch: an acknowledged event then survives a power loss too. */
  fsync?: boolean;
  /** Also serve the inspector on this log, following it live (LevelDB allows one process). */
  serve?: ListenOptions;
  /** The clock events are stamped with as they are read, in epoch ms. Default: Date.now. */
  now?: () => number;
  /** Opens the log directory; tests pass a log whose writes fail. Default: EventLog.openDir. */
  openLog?: (dir: string) => Promise<EventLog>;
}

/**
 * What is read is appended after this long a pause in the input, so a slow live stream (kubectl
 * watch) reaches the log within a moment of each event, not once a batch is full.
 */
export const IDLE_FLUSH_MS = 50;

/**
 * Streams every input into the log: valid events are appended in atomic batches (when a batch is
 * full, and whenever the input pauses), everything else is reported with its file and document
 * index. SIGINT, SIGTERM and SIGHUP stop reading; what was read is appended and the summary
 * printed as when the input ends. Exit 1 when anything was rejected.
 */
export async function record(files: string[], options: RecordOptions, io: Io): Promise<number> {
  const dir = requireLogDir(options.log);
  if (options.sync && options.delete) throw new MeshfoldError('CLI_USAGE', '--sync and --delete do not go together: a relist records what exists');
  if (options.namespaces?.length && !options.sync) throw new MeshfoldError('CLI_USAGE', '--namespace only applies to --sync (the namespaces the set is complete for)');
  const log = await (options.openLog ?? ((d: string) => EventLog.open(d, { sync: Boolean(options.fsync) })))(dir);
  const stop = stopSignals();
  let inspector: Inspector | undefined;
  return withLog(log, async () => {
    if (options.serve) {
      inspector = await startInspector(log, { ...options.serve, follow: true, warn: (text) => io.err(text) });
      io.err(`meshfold inspector at ${inspector.url} (following this log)\n`);
    }
    const bar = progress('record', io.interactive ? process.stderr : ({ isTTY: false } as NodeJS.WriteStream));
    const recorder = await Recorder.open(log, {
      snapshotEvery: options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY,
      batch: options.batch ?? 1000,
      verbose: Boolean(options.verbose),
      // A relist compares the set with the state, which a worker's fold keeps out of reach.
      foldInWorker: !options.sync,
      ...(options.now && { now: options.now }),
      err: (text) => io.err(text),
    });
    const flush = async () => {
      await recorder.flush();
      bar.update(recorder.appended, 0);
    };
    // With --sync every input is read before anything is recorded: the set must be whole.
    const set: InputItem[] | undefined = options.sync ? [] : undefined;
    let failure: unknown;
    let unreadable: string | undefined;
    try {
      for (const file of files.length > 0 ? files : ['-']) {
        if (stop.signal) break;
        const source = file === '-' ? '<stdin>' : file;
        const stream = openInput(file, io.stdin);
        // Chunk by chunk: one asynchronous step (and one idle timer) per chunk, not per event.
        // Each event's text goes on to the fold thread as it was read (not with --sync: a relist
        // holds every item of its set until the end).
        const batches = readInputBatches(inputChunks(stream, source), { source, delete: Boolean(options.delete), keepText: !set });
        try {
          for await (const items of onIdle(batches, IDLE_FLUSH_MS, flush, stop.stopped)) {
            if (set) {
              set.push(...items);
              continue;
            }
            const appended = recorder.appended;
            await recorder.addAll(items);
            if (recorder.appended !== appended) bar.update(recorder.appended, 0);
          }
        } catch (err) {
          // Like any rejected input: reported, and the events read before it and the other inputs
          // are kept; a relist missing part of its input is not the complete set any more.
          if (!isMeshfoldError(err) || err.code !== 'INPUT_UNREADABLE') throw err;
          recorder.rejected++;
          unreadable ??= err.message;
          io.err(`${err.toLine()}\n`);
        }
        // Stopped by a signal: the input may never end by itself (a terminal, a pipe from a
        // writer that is still running), so it is closed here and the process can exit.
        if (stop.signal) (stream as { destroy?: () => void }).destroy?.();
      }
      if (set) {
        const synced = await recorder.sync(set, { ...(options.namespaces?.length && { namespaces: options.namespaces }), complete: !stop.signal && unreadable === undefined,
          ...(unreadable !== undefined && !stop.signal && { why: 'an input of the set could not be read' }),
        });
        io.out(describeSync(synced));
      }
      if (stop.signal) {
        const held = recorder.pending;
        io.err(`stopping on ${stop.signal}: appending the ${held} event${held === 1 ? '' : 's'} read and not yet appended\n`);
      }
    } catch (err) {
      // A read that fails half-way (an I/O error) still keeps the valid events read before it.
      failure = err;
    }
    failure = await recorder.end(failure);
    bar.done();
    io.out(recorder.summary());
    // A failed append is reported after the summary of what was saved before it.
    if (failure) throw failure;
    if (inspector && !stop.signal) {
      io.err(`input ended; still serving ${inspector.url}; Ctrl-C to stop\n`);
      await stop.stopped;
    }
    await inspector?.close(); // before withLog closes the log under it
    return recorder.rejected > 0 ? 1 : 0;
  }).finally(async () => {
    stop.dispose();
    await inspector?.close(); // on failure too
  });
}

/** `relist (seq 12): 40 unchanged, 1 added, 2 modified, 3 removed (not in the set any more)`. */
export function describeSync(r: SyncResult): string {
  const at = r.seq > 0 ? ` (seq ${r.seq})` : '';
  const counts = `${r.unchanged} unchanged, ${r.added} added, ${r.modified} modified, ${r.removed} removed (not in the set any more)`;
  return `relist${at}: ${counts}${r.incomplete ? `; nothing removed: ${r.incomplete}` : ''}\n`;
}
