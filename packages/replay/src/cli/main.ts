import sade from 'sade';
import { exitStatus, isMeshfoldError, MeshfoldError } from '@meshfold/core';
import type { EventLog } from '@meshfold/store';
import { readDumpFile } from '../check/readDumpFile.js';
import { check } from './commands/check.js';
import { events } from './commands/events.js';
import { history } from './commands/history.js';
import { associations } from './commands/associations.js';
import { diff } from './commands/diff.js';
import { endpoints } from './commands/endpoints.js';
import { record } from '../recording/record.js';
import { verify } from './commands/verify.js';
import { watch } from '../recording/watch.js';
import { why } from './commands/why.js';
import { checkArguments } from './checkArguments.js';
import { processIo, type Io } from '../io/Io.js';
import { openExistingLog, withLog } from '../io/openLog.js';
import { listenOptions } from '../serve/listenOptions.js';
import { serve } from './commands/serve.js';

type Opts = Record<string, unknown>;

type Handler = (...args: unknown[]) => Promise<number>;

/** Runs one command line and resolves to its exit status; never calls process.exit itself. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const status = await run(argv, io);
  // Messages that could not be written (their reader went away) make the run a failure, even
  // when what the command was for (recording) went through.
  return io.outputLost ? Math.max(status, 1) : status;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    checkArguments(argv);
    const parsed = program(io).parse(['node', 'meshfold', ...argv], {
      lazy: true,
      unknown: (flag: string) => { throw new MeshfoldError('CLI_USAGE', `unknown option ${flag} (see meshfold --help)`); },
    }) as { handler?: Handler; args: unknown[] } | undefined;
    if (!parsed?.handler) return 0; // --help or --version was printed
    return await parsed.handler(...parsed.args);
  } catch (err) {
    // Anything uncoded is a bug: reported with its stack, so it can be found.
    const error = isMeshfoldError(err) ? err : new MeshfoldError('INTERNAL', err instanceof Error ? err.stack ?? err.message : String(err), { cause: err });
    io.err(`${error.toLine()}\n`);
    return exitStatus(error.code);
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
    .describe('Append watch events to the log. Reads kubectl watch streams (pretty JSON or NDJSON), single objects, Lists and multi-document YAML, from files or stdin (- or nothing). Events are appended whenever the input pauses and in batches of 1000 under load; SIGINT, SIGTERM or SIGHUP append what was read, print the summary and exit. Invalid objects are reported with file and document index and skipped; exit status 1 if anything was rejected.')
    .option('--delete', 'Record plain objects (not watch events) as deletions', false)
    .option('--sync', 'The input is the complete set (e.g. kubectl get serviceentries,workloadentries -A -o json): objects the log holds that are absent get a DELETED marked as synthesized by this relist; unchanged objects get no event', false)
    .option('-n, --namespace', 'With --sync: the set is complete for this namespace only (repeat for several); default all namespaces')
    .option('--snapshot-every', 'Write a state snapshot every N events, or every (live objects / 8) if more (time travel replays fewer events than that past one)', 1000)
    .option('--fsync', 'fsync every batch before counting it recorded, so a power loss loses nothing acknowledged (slower); without it a killed process loses nothing, a power loss may lose the last batches', false)
    .option('--serve', 'Also serve the inspector (see serve) on this log while recording, updating live', false)
    .option('--verbose', 'Print a line on stderr for every event read and every batch appended', false)
    .option('--port', 'Inspector port with --serve (0 = any free port)', 7070)
    .option('--host', 'Inspector address with --serve (anything but loopback needs --expose)', '127.0.0.1')
    .option('--expose', 'With --serve: allow --host to be a non-loopback address, serving the log unauthenticated to the network', false)
    .example('record --log ./log events.json')
    .example('record --log ./log -   # kubectl get serviceentries,workloadentries -A -w -o json --output-watch-events | meshfold record --log ./log')
    .action(async (files: string[] | string | undefined, opts: Opts) => {
      const list = files === undefined ? [] : Array.isArray(files) ? files : [files, ...((opts._ as string[]) ?? [])];
      return record(list.map(String), {
        log: opts.log as string, delete: Boolean(opts.delete), snapshotEvery: positive(opts['snapshot-every'], '--snapshot-every'),
        verbose: Boolean(opts.verbose),
        sync: Boolean(opts.sync),
        fsync: Boolean(opts.fsync),
        namespaces: repeated(opts.namespace),
        ...(opts.serve ? { serve: listenOptions(opts) } : {}),
      }, io);
    })

    .command('watch')
    .describe("Record a live cluster with the user's kubectl: a full list recorded as a relist (see record --sync), then a watch of each kind; when a watch ends, fails or expires (410 Gone) it re-syncs and watches again, waiting longer while restarts keep failing (each restart reported on stderr with its reason; a status line on a terminal). kubectl missing, or failing for good (credentials, no Istio CRDs), is an error, not a retry loop. Ctrl-C appends what was read and exits.")
    .option('--context', 'kubectl context (passed to kubectl)')
    .option('--kubeconfig', 'kubeconfig file (passed to kubectl)')
    .option('-n, --namespace', 'Watch one namespace (passed to kubectl); default all namespaces (-A)')
    .option('-A, --all-namespaces', 'Watch every namespace (the default)', false)
    .option('--retry-delay', 'Milliseconds before the first re-sync after a watch ends; doubles while restarts keep coming, up to 30 s', 1000)
    .option('--snapshot-every', 'As for record', 1000)
    .option('--verbose', 'Print a line on stderr for every event read and every batch appended', false)
    .option('--serve', 'Also serve the inspector on this log, following it live', false)
    .option('--port', 'Inspector port with --serve (0 = any free port)', 7070)
    .option('--host', 'Inspector address with --serve (anything but loopback needs --expose)', '127.0.0.1')
    .option('--expose', 'With --serve: allow --host to be a non-loopback address, serving the log unauthenticated to the network', false)
    .example('watch --log ./log --context prod -n shop')
    .action(async (opts: Opts) => {
      const namespace = repeated(opts.namespace);
      if (namespace.length > 1) throw new MeshfoldError('CLI_USAGE', 'watch takes one --namespace (kubectl watches one namespace or all)');
      if (namespace.length === 1 && opts['all-namespaces']) throw new MeshfoldError('CLI_USAGE', '--namespace and --all-namespaces do not go together');
      return watch({
        log: opts.log as string,
        ...(typeof opts.context === 'string' && { context: opts.context }),
        ...(typeof opts.kubeconfig === 'string' && { kubeconfig: opts.kubeconfig }),
        ...(namespace.length === 1 && { namespace: namespace[0]! }),
        retryDelayMs: positive(opts['retry-delay'], '--retry-delay'),
        snapshotEvery: positive(opts['snapshot-every'], '--snapshot-every'),
        verbose: Boolean(opts.verbose),
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

    .command('check [...dumps]')
    .describe('Hold what proxies hold (Envoy config dumps with EDS, /clusters?format=json, istioctl proxy-config endpoint -o json, endpoints -o eds) against the truth at the dump\'s time, and explain every difference. Exit status 0: no drift; 3: drift; 1 or 2: an error.')
    .option('--at', 'Seq or RFC 3339 time (default: the dump\'s last_updated, else the file\'s time, else the log\'s end)')
    .option('--settle', 'Changes the log made within this long before the point are in flight, not drift (Go duration: 5s, 500ms, 2m)', '5s')
    .option('-o, --output', 'table or json', 'table')
    .example('check --log ./log config_dump.json')
    .action(reading((log, dumps, options) => {
      const opts = options as Opts;
      const list = dumps === undefined ? [] : Array.isArray(dumps) ? dumps : [dumps, ...((opts._ as string[]) ?? [])];
      return check(log, list.map(String), { at: opts.at, settle: opts.settle, o: o(opts) }, io);
    }))

    .command('verify')
    .describe('Replay the whole log: seq continuity, every value decodes, every snapshot hash matches; prints the final state hash.')
    .action((opts: Opts) => verify(opts.log as string | undefined, io))

    .command('serve')
    .describe('The time-travel inspector: a read-only web page and JSON API (/api/…) over the log, on 127.0.0.1 unless --host says otherwise.')
    .option('--port', 'TCP port (0 = any free port)', 7070)
    .option('--host', 'Address to bind; anything but loopback needs --expose', '127.0.0.1')
    .option('--expose', 'Allow a non-loopback --host: the log is served, unauthenticated, to whoever can reach it', false)
    .option('--follow', 'Stream events appended by this process to the page (Server-Sent Events; see record --serve)', false)
    .option('--dump', 'A proxy dump (as for check) to check at the selected seq: drift is highlighted in the endpoints panel (/api/check)')
    .example('serve --log ./log   # then open http://127.0.0.1:7070/')
    .action(async (opts: Opts) => {
      // Usage errors first: a refused --host must not wait for, or take, the log's lock.
      const listen = listenOptions(opts);
      if (opts.dump === true) throw new MeshfoldError('CLI_USAGE', '--dump takes a FILE');
      const dump = opts.dump === undefined ? undefined : await readDumpFile(String(opts.dump));
      return reading((log) => serve(log, { ...listen, follow: Boolean(opts.follow), ...(dump && { dump }) }, io))(opts);
    });
}

function positive(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new MeshfoldError('CLI_USAGE', `${what} must be a positive integer, got ${String(value)}`);
  return n;
}

/** A repeatable option as sade gives it: absent, one value or an array. */
function repeated(value: unknown): string[] {
  if (value === undefined || value === true) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
