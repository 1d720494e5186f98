import { MeshfoldError } from '@meshfold/core';
import { DEFAULT_SNAPSHOT_EVERY, LIVE_OBJECTS_PER_SNAPSHOT_EVENT, type EventLog } from '@meshfold/store';
import { readDumpFile } from '../check/readDumpFile.js';
import type { Io } from '../io/Io.js';
import { openExistingLog, withLog } from '../io/openLog.js';
import { record } from '../recording/record.js';
import { watch } from '../recording/watch.js';
import { listenOptions } from '../serve/listenOptions.js';
import { associations } from './commands/associations.js';
import { check } from './commands/check.js';
import { diff } from './commands/diff.js';
import { endpoints } from './commands/endpoints.js';
import { events } from './commands/events.js';
import { history } from './commands/history.js';
import { serve } from './commands/serve.js';
import { reindex } from './commands/reindex.js';
import { verify } from './commands/verify.js';
import { why } from './commands/why.js';

/** Options as sade parsed them. */
export type Opts = Record<string, unknown>;

/**
 * An option as sade declares it. A boolean `fallback` makes it a flag that takes no value, for
 * sade and for checkArguments alike.
 */
export interface OptionSpec {
  /** `--at`, or a short and a long spelling: `-o, --output`. */
  readonly flags: string;
  readonly description: string;
  readonly fallback?: string | number | boolean;
}

/** One command: what `--help` shows, how many arguments it takes, and what it runs. */
export interface CommandSpec {
  /**
   * The name, then its arguments as sade reads them and `--help` shows them: `<required>`,
   * `[optional]`, `[...rest]`. checkArguments derives the argument count from it.
   */
  readonly usage: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly examples?: readonly string[];
  /** At least this many arguments, where the command needs more than `usage` can show (check's `[...dumps]`). */
  readonly minArgs?: number;
  /** The arguments as a usage error names them: `FROM TO`. */
  readonly argNames?: string;
  /** Runs the command with the positional arguments sade gives the action and its options. */
  readonly run: (args: readonly unknown[], opts: Opts, io: Io) => Promise<number>;
}

/** The program itself, for sade and `--help`. */
export const PROGRAM = {
  name: 'meshfold',
  version: '0.1.0',
  description: 'Event-sourced projection of Istio ServiceEntry/WorkloadEntry streams into endpoints and associations.',
  options: [{ flags: '--log', description: 'The event log: a directory (LevelDB), or nats://host:port[,host:port…]/STREAM (JetStream)' }] as readonly OptionSpec[],
} as const;

/** `--serve`'s listening options, the same for record and watch. */
const serveWhileRecording: readonly OptionSpec[] = [
  { flags: '--port', description: 'Inspector port with --serve (0 = any free port)', fallback: 7070 },
  { flags: '--host', description: 'Inspector address with --serve (anything but loopback needs --expose)', fallback: '127.0.0.1' },
  { flags: '--expose', description: 'With --serve: allow --host to be a non-loopback address, serving the log unauthenticated to the network', fallback: false },
];

/**
 * Every command, in the order `meshfold --help` lists them. sade's program (main) and the
 * argument checks (checkArguments) are both built from this table, so they cannot disagree.
 */
export const commandTable: readonly CommandSpec[] = [
  {
    usage: 'record [...files]',
    description: 'Append watch events to the log. Reads kubectl watch streams (pretty JSON or NDJSON), single objects, Lists and multi-document YAML, from files or stdin (- or nothing). Events are appended whenever the input pauses and in batches of 1000 under load; SIGINT, SIGTERM or SIGHUP append what was read, print the summary and exit. Invalid objects are reported with file and document index and skipped; exit status 1 if anything was rejected.',
    options: [
      { flags: '--delete', description: 'Record plain objects (not watch events) as deletions', fallback: false },
      { flags: '--sync', description: 'The input is the complete set (e.g. kubectl get serviceentries,workloadentries -A -o json): objects the log holds that are absent get a DELETED marked as synthesized by this relist; unchanged objects get no event', fallback: false },
      { flags: '-n, --namespace', description: 'With --sync: the set is complete for this namespace only (repeat for several); default all namespaces' },
      { flags: '--snapshot-every', description: `Write a state snapshot every N events, or every (live objects / ${LIVE_OBJECTS_PER_SNAPSHOT_EVENT}) if more (time travel replays fewer events than that past one)`, fallback: DEFAULT_SNAPSHOT_EVERY },
      { flags: '--fsync', description: 'fsync every batch before counting it recorded, so a power loss loses nothing acknowledged (slower); without it a killed process loses nothing, a power loss may lose the last batches', fallback: false },
      { flags: '--serve', description: 'Also serve the inspector (see serve) on this log while recording, updating live', fallback: false },
      { flags: '--verbose', description: 'Print a line on stderr for every event read and every batch appended', fallback: false },
      ...serveWhileRecording,
    ],
    examples: [
      'record --log ./log events.json',
      'record --log ./log -   # kubectl get serviceentries,workloadentries -A -w -o json --output-watch-events | meshfold record --log ./log',
    ],
    run: ([files], opts, io) => record(variadic(files, opts), {
      log: opts.log as string, delete: Boolean(opts.delete), snapshotEvery: positive(opts['snapshot-every'], '--snapshot-every'),
      verbose: Boolean(opts.verbose),
      sync: Boolean(opts.sync),
      fsync: Boolean(opts.fsync),
      namespaces: repeated(opts.namespace),
      ...(opts.serve ? { serve: listenOptions(opts) } : {}),
    }, io),
  },
  {
    usage: 'watch',
    description: "Record a live cluster with the user's kubectl: a full list recorded as a relist (see record --sync), then a watch of each kind; when a watch ends, fails or expires (410 Gone) it re-syncs and watches again, waiting longer while restarts keep failing (each restart reported on stderr with its reason; a status line on a terminal). kubectl missing, or failing for good (credentials, no Istio CRDs), is an error, not a retry loop. Ctrl-C appends what was read and exits.",
    options: [
      { flags: '--context', description: 'kubectl context (passed to kubectl)' },
      { flags: '--kubeconfig', description: 'kubeconfig file (passed to kubectl)' },
      { flags: '-n, --namespace', description: 'Watch one namespace (passed to kubectl); default all namespaces (-A)' },
      { flags: '-A, --all-namespaces', description: 'Watch every namespace (the default)', fallback: false },
      { flags: '--retry-delay', description: 'Milliseconds before the first re-sync after a watch ends; doubles while restarts keep coming, up to 30 s', fallback: 1000 },
      { flags: '--snapshot-every', description: 'As for record', fallback: DEFAULT_SNAPSHOT_EVERY },
      { flags: '--verbose', description: 'Print a line on stderr for every event read and every batch appended', fallback: false },
      { flags: '--serve', description: 'Also serve the inspector on this log, following it live', fallback: false },
      ...serveWhileRecording,
    ],
    examples: ['watch --log ./log --context prod -n shop'],
    run: async (_args, opts, io) => {
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
    },
  },
  {
    usage: 'events',
    description: 'List recorded events.',
    options: [
      { flags: '--from', description: 'First seq (or RFC 3339 time)' },
      { flags: '--to', description: 'Last seq (or RFC 3339 time)' },
      output('table or json', 'table'),
    ],
    run: reading((log, _args, opts, io) => events(log, { from: opts.from, to: opts.to, o: o(opts) }, io)),
  },
  {
    usage: 'endpoints',
    description: 'Endpoints at a point of the log: --at SEQ (0 = empty) or an RFC 3339 time; default the latest.',
    options: [
      { flags: '--at', description: 'Seq or RFC 3339 time' },
      { flags: '--host', description: 'Only this host' },
      output('table (as istioctl proxy-config endpoint), wide, json, eds (ClusterLoadAssignments of EDS clusters) or cds (DNS and ORIGINAL_DST clusters)', 'table'),
    ],
    run: reading((log, _args, opts, io) => endpoints(log, { at: opts.at, host: opts.host, o: o(opts) }, io)),
  },
  {
    usage: 'associations',
    description: 'Which WorkloadEntries each ServiceEntry selects, at a point of the log.',
    options: [{ flags: '--at', description: 'Seq or RFC 3339 time' }, output('table or json', 'table')],
    run: reading((log, _args, opts, io) => associations(log, { at: opts.at, o: o(opts) }, io)),
  },
  {
    usage: 'diff <from> <to>',
    argNames: 'FROM TO',
    description: 'Endpoints and associations added, removed or changed between two points (seqs or RFC 3339 times).',
    options: [output('table or json', 'table')],
    run: reading((log, [from, to], opts, io) => diff(log, from, to, { o: o(opts) }, io)),
  },
  {
    usage: 'history <object>',
    argNames: 'KIND/NAMESPACE/NAME',
    description: 'Every event that touched KIND/NAMESPACE/NAME and the association and endpoint changes it caused.',
    options: [output('table or json', 'table')],
    examples: ['history --log ./log WorkloadEntry/default/test-we'],
    run: reading((log, [object], opts, io) => history(log, object, { o: o(opts) }, io)),
  },
  {
    usage: 'why <serviceEntry> <workloadEntry>',
    argNames: 'SE_NAMESPACE/NAME WE_NAMESPACE/NAME',
    description: 'Whether SE_NAMESPACE/NAME selects WE_NAMESPACE/NAME at a point, since which event, and if not, exactly why not.',
    options: [{ flags: '--at', description: 'Seq or RFC 3339 time' }, output('text or json', 'text')],
    examples: ['why --log ./log default/test-se default/test-we --at 8'],
    run: reading((log, [se, we], opts, io) => why(log, se, we, { at: opts.at, o: o(opts) }, io)),
  },
  {
    usage: 'check [...dumps]',
    minArgs: 1,
    argNames: 'DUMP…',
    description: 'Hold what proxies hold (Envoy config dumps with EDS, /clusters?format=json, istioctl proxy-config endpoint -o json, endpoints -o eds) against the truth at the dump\'s time, and explain every difference. Exit status 0: no drift; 3: drift; 1 or 2: an error.',
    options: [
      { flags: '--at', description: 'Seq or RFC 3339 time (default: the dump\'s last_updated, else the file\'s time, else the log\'s end)' },
      { flags: '--settle', description: 'Changes the log made within this long before the point are in flight, not drift (Go duration: 5s, 500ms, 2m)', fallback: '5s' },
      output('table or json', 'table'),
    ],
    examples: ['check --log ./log config_dump.json'],
    run: reading((log, [dumps], opts, io) => check(log, variadic(dumps, opts), { at: opts.at, settle: opts.settle, o: o(opts) }, io)),
  },
  {
    usage: 'verify',
    description: 'Replay the whole log: seq continuity, every value decodes, every snapshot hash matches, the link index (as far as it goes) holds what the replay gives; prints the final state hash.',
    options: [],
    run: (_args, opts, io) => verify(opts.log as string | undefined, io),
  },
  {
    usage: 'reindex',
    description: 'Build the link index history reads, for a log recorded without it (by an older meshfold, or appended to by another writer); record keeps it as it goes.',
    options: [
      { flags: '--rebuild', description: 'Drop the link index and build it again from seq 1 (when verify found it wrong: VERIFY_INDEX_MISMATCH)', fallback: false },
    ],
    run: (_args, opts, io) => reindex(opts.log as string | undefined, io, { rebuild: Boolean(opts.rebuild) }),
  },
  {
    usage: 'serve',
    description: 'The time-travel inspector: a read-only web page and JSON API (/api/…) over the log, on 127.0.0.1 unless --host says otherwise.',
    options: [
      { flags: '--port', description: 'TCP port (0 = any free port)', fallback: 7070 },
      { flags: '--host', description: 'Address to bind; anything but loopback needs --expose', fallback: '127.0.0.1' },
      { flags: '--expose', description: 'Allow a non-loopback --host: the log is served, unauthenticated, to whoever can reach it', fallback: false },
      { flags: '--follow', description: 'Stream appended events to the page (Server-Sent Events): on LevelDB those of this process (see record --serve), on JetStream every writer\'s', fallback: false },
      { flags: '--dump', description: 'A proxy dump (as for check) to check at the selected seq: drift is highlighted in the endpoints panel (/api/check)' },
    ],
    examples: ['serve --log ./log   # then open http://127.0.0.1:7070/'],
    run: async (args, opts, io) => {
      // Usage errors first: a refused --host must not wait for, or take, the log's lock.
      const listen = listenOptions(opts);
      if (opts.dump === true) throw new MeshfoldError('CLI_USAGE', '--dump takes a FILE');
      const dump = opts.dump === undefined ? undefined : await readDumpFile(String(opts.dump));
      return reading((log, _args, _opts, out) => serve(log, { ...listen, follow: Boolean(opts.follow), ...(dump && { dump }) }, out))(args, opts, io);
    },
  },
];

/** The name of a command: the first word of its usage. */
export function commandName(spec: CommandSpec): string {
  return spec.usage.split(/\s+/)[0]!;
}

/** A command that reads an existing log: opened read-only before it runs, always closed after. */
function reading(fn: (log: EventLog, args: readonly unknown[], opts: Opts, io: Io) => Promise<number>): CommandSpec['run'] {
  return async (args, opts, io) => {
    const log = await openExistingLog(opts.log as string | undefined, (r) => io.err(`warning: ${r.code}: ${r.message}\n`));
    return withLog(log, () => fn(log, args, opts, io));
  };
}

function output(description: string, fallback: string): OptionSpec {
  return { flags: '-o, --output', description, fallback };
}

function o(opts: Opts): string | undefined {
  return opts.output as string | undefined;
}

/** A `[...rest]` argument as sade gives it: the first value as the argument, the others in `opts._`. */
function variadic(first: unknown, opts: Opts): string[] {
  const list = first === undefined ? [] : Array.isArray(first) ? first : [first, ...((opts._ as unknown[]) ?? [])];
  return list.map(String);
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
