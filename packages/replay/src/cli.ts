import sade from 'sade';
import { isMeshfoldError, MeshfoldError } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { events } from './commands/events.js';
import { history } from './commands/history.js';
import { associations, diff, endpoints } from './commands/queries.js';
import { record } from './commands/record.js';
import { verify } from './commands/verify.js';
import { why } from './commands/why.js';
import { checkArguments } from './checkArguments.js';
import { processIo, type Io } from './Io.js';
import { openExistingLog, withLog } from './openLog.js';
import { listenOptions } from './serve/listenOptions.js';
import { serve } from './serve/serve.js';

type Opts = Record<string, unknown>;

type Handler = (...args: unknown[]) => Promise<number>;

/** Runs one command line and resolves to its exit status; never calls process.exit itself. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    checkArguments(argv);
    const parsed = program(io).parse(['node', 'meshfold', ...argv], {
      lazy: true,
      unknown: (flag: string) => { throw new MeshfoldError('CLI_USAGE', `unknown option ${flag} (see meshfold --help)`); },
    }) as { handler?: Handler; args: unknown[] } | undefined;
    if (!parsed?.handler) return 0; // --help or --version was printed
    return await parsed.handler(...parsed.args);
  } catch (err) {
    if (isMeshfoldError(err)) {
      io.err(`${err.toLine()}\n`);
      return err.code === 'CLI_USAGE' ? 2 : 1;
    }
    io.err(`INTERNAL: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 1;
  }
}

function program(io: Io) {
  const reading = (fn: (log: EventLog, ...rest: unknown[]) => Promise<number>): Handler =>
    async (...args) => {
      const opts = args.at(-1) as Opts;
      const log = await openExistingLog(opts.log as string | undefined, (r) => io.err(`warning: ${r.code}: ${r.message}\n`));
      return withLog(log, () => fn(log, ...args));
    };
  const o = (opts: Opts) => (opts.output as string | undefined);

  return sade('meshfold')
    .version('0.1.0')
    .describe('Event-sourced projection of Istio ServiceEntry/WorkloadEntry streams into endpoints and associations.')
    .option('--log', 'Directory of the event log (LevelDB)')

    .command('record [...files]')
    .describe('Append watch events to the log. Reads kubectl watch streams (pretty JSON or NDJSON), single objects, Lists and multi-document YAML, from files or stdin (- or nothing). Invalid objects are reported with file and document index and skipped; exit status 1 if anything was rejected.')
    .option('--delete', 'Record plain objects (not watch events) as deletions', false)
    .option('--snapshot-every', 'Write a state snapshot every N events, or every (live objects / 8) if more (time travel replays fewer events than that past one)', 1000)
    .option('--serve', 'Also serve the inspector (see serve) on this log while recording, updating live', false)
    .option('--port', 'Inspector port with --serve (0 = any free port)', 7070)
    .option('--host', 'Inspector address with --serve', '127.0.0.1')
    .example('record --log ./log events.json')
    .example('record --log ./log -   # kubectl get serviceentries,workloadentries -A -w -o json --output-watch-events | meshfold record --log ./log')
    .action(async (files: string[] | string | undefined, opts: Opts) => {
      const list = files === undefined ? [] : Array.isArray(files) ? files : [files, ...((opts._ as string[]) ?? [])];
      return record(list.map(String), {
        log: opts.log as string, delete: Boolean(opts.delete), snapshotEvery: positive(opts['snapshot-every'], '--snapshot-every'),
        ...(opts.serve ? { serve: listenOptions(opts) } : {}),
      }, io);
    })

    .command('events')
    .describe('List recorded events.')
    .option('--from', 'First seq (or RFC 3339 time)')
    .option('--to', 'Last seq (or RFC 3339 time)')
    .option('-o, --output', 'table or json', 'table')
    .action(reading((log, opts) => events(log, { from: (opts as Opts).from, to: (opts as Opts).to, o: o(opts as Opts) }, io)))

    .command('endpoints')
    .describe('Endpoints at a point of the log: --at SEQ (0 = empty) or an RFC 3339 time; default the latest.')
    .option('--at', 'Seq or RFC 3339 time')
    .option('--host', 'Only this host')
    .option('-o, --output', 'table (as istioctl proxy-config endpoint), wide, json, eds (ClusterLoadAssignments of EDS clusters) or cds (DNS and ORIGINAL_DST clusters)', 'table')
    .action(reading((log, opts) => endpoints(log, { at: (opts as Opts).at as string, host: (opts as Opts).host as string, o: o(opts as Opts) }, io)))

    .command('associations')
    .describe('Which WorkloadEntries each ServiceEntry selects, at a point of the log.')
    .option('--at', 'Seq or RFC 3339 time')
    .option('-o, --output', 'table or json', 'table')
    .action(reading((log, opts) => associations(log, { at: (opts as Opts).at as string, o: o(opts as Opts) }, io)))

    .command('diff <from> <to>')
    .describe('Endpoints and associations added, removed or changed between two points (seqs or RFC 3339 times).')
    .option('-o, --output', 'table or json', 'table')
    .action(reading((log, from, to, opts) => diff(log, from, to, { o: o(opts as Opts) }, io)))

    .command('history <object>')
    .describe('Every event that touched KIND/NAMESPACE/NAME and the association and endpoint changes it caused.')
    .option('-o, --output', 'table or json', 'table')
    .example('history --log ./log WorkloadEntry/default/test-we')
    .action(reading((log, object, opts) => history(log, object, { o: o(opts as Opts) }, io)))

    .command('why <serviceEntry> <workloadEntry>')
    .describe('Whether SE_NAMESPACE/NAME selects WE_NAMESPACE/NAME at a point, since which event, and if not, exactly why not.')
    .option('--at', 'Seq or RFC 3339 time')
    .option('-o, --output', 'text or json', 'text')
    .example('why --log ./log default/test-se default/test-we --at 8')
    .action(reading((log, se, we, opts) => why(log, se, we, { at: (opts as Opts).at, o: o(opts as Opts) }, io)))

    .command('verify')
    .describe('Replay the whole log: seq continuity, every value decodes, every snapshot hash matches; prints the final state hash.')
    .action((opts: Opts) => verify(opts.log as string | undefined, io))

    .command('serve')
    .describe('The time-travel inspector: a read-only web page and JSON API (/api/…) over the log, on 127.0.0.1 unless --host says otherwise.')
    .option('--port', 'TCP port (0 = any free port)', 7070)
    .option('--host', 'Address to bind; anything but loopback exposes the log to the network', '127.0.0.1')
    .option('--follow', 'Stream events appended by this process to the page (Server-Sent Events; see record --serve)', false)
    .example('serve --log ./log   # then open http://127.0.0.1:7070/')
    .action(reading((log, opts) => serve(log, { ...listenOptions(opts as Opts), follow: Boolean((opts as Opts).follow) }, io)));
}

function positive(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new MeshfoldError('CLI_USAGE', `${what} must be a positive integer, got ${String(value)}`);
  return n;
}
