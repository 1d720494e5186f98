import { isMeshfoldError, type WatchEvent } from '@meshfold/core';
import { EventLog, ProjectedLog } from '@meshfold/store';
import { inputChunks } from '../inputChunks.js';
import type { Io } from '../Io.js';
import { requireLogDir, withLog } from '../openLog.js';
import { progress } from '../progress.js';
import { readInput, type InputItem } from '../readInput.js';
import type { ListenOptions } from '../serve/listenOptions.js';
import { onIdle } from '../serve/onIdle.js';
import { startInspector, type Inspector } from '../serve/startInspector.js';
import { untilSignal } from '../serve/untilSignal.js';

export interface RecordOptions {
  log?: string;
  delete?: boolean;
  snapshotEvery?: number;
  batch?: number;
  sync?: boolean;
  /** Also serve the inspector on this log, following it live (LevelDB allows one process). */
  serve?: ListenOptions;
}

/** With --serve, what is read is appended after this long a pause, so the page shows it. */
const LIVE_FLUSH_MS = 50;

/**
 * Streams every input into the log: valid events are appended in atomic batches, everything else
 * is reported with its file and document index. Exit 1 when anything was rejected.
 */
export async function record(files: string[], options: RecordOptions, io: Io): Promise<number> {
  const dir = requireLogDir(options.log);
  const log = await EventLog.openDir(dir, { sync: Boolean(options.sync) });
  let inspector: Inspector | undefined;
  return withLog(log, async () => {
    if (options.serve) {
      inspector = await startInspector(log, { ...options.serve, follow: true, warn: (text) => io.err(text) });
      io.err(`meshfold inspector at ${inspector.url} (following this log)\n`);
    }
    const projected = await ProjectedLog.open(log, { snapshotEvery: options.snapshotEvery ?? 1000 });
    const firstSeq = log.lastSeq + 1;
    const bar = progress('record', io.interactive ? process.stderr : ({ isTTY: false } as NodeJS.WriteStream));
    let rejected = 0;
    let pending: InputItem[] = [];
    const flush = async () => {
      const result = await projected.record(pending.map((item) => item.event as WatchEvent));
      for (const r of result.rejected) {
        const item = pending[r.index]!;
        rejected++;
        io.err(`${r.error.code}: ${position(item)}: ${r.error.message}\n`);
      }
      for (const n of result.notices) io.err(`warning: ${n.code}: ${n.message}\n`);
      pending = [];
      bar.update(log.lastSeq - firstSeq + 1, 0);
    };
    try {
      for (const file of files.length > 0 ? files : ['-']) {
        const items = readInput(inputChunks(file, io.stdin), { source: file === '-' ? '<stdin>' : file, delete: Boolean(options.delete) });
        try {
          for await (const item of inspector ? onIdle(items, LIVE_FLUSH_MS, () => (pending.length > 0 ? flush() : undefined)) : items) {
            if (item.error) {
              rejected++;
              io.err(`${item.error.code}: ${item.error.message}\n`);
              continue;
            }
            pending.push(item);
            if (pending.length >= (options.batch ?? 1000)) await flush();
          }
        } catch (err) {
          // Like any rejected input: reported, and the events read before and the other inputs are kept.
          if (!isMeshfoldError(err) || err.code !== 'INPUT_UNREADABLE') throw err;
          rejected++;
          io.err(`${err.toLine()}\n`);
        }
      }
    } finally {
      // A read that fails half-way (an I/O error) still keeps the valid events read before it.
      if (pending.length > 0) await flush();
    }
    await projected.snapshot();
    bar.done();
    const count = log.lastSeq - firstSeq + 1;
    const range = count > 0 ? `seq ${firstSeq}..${log.lastSeq}` : 'nothing appended';
    io.out(`recorded ${count} event${count === 1 ? '' : 's'} (${range}); rejected ${rejected}\n`);
    if (inspector) {
      io.err(`input ended; still serving ${inspector.url}; Ctrl-C to stop\n`);
      await untilSignal();
      await inspector.close(); // before withLog closes the log under it
    }
    return rejected > 0 ? 1 : 0;
  }).finally(() => inspector?.close()); // on failure too
}

/** As the input reader words positions: `file: document 3, item 1 (line 41)`. */
function position(item: InputItem): string {
  return `${item.source}: document ${item.index}${item.item !== undefined ? `, item ${item.item}` : ''} (line ${item.line})`;
}
