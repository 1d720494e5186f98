/** What one error code means and how each surface reports it. */
export interface ErrorCodeInfo {
  /** What went wrong, in one sentence; `docs/errors.md` shows the same words. */
  readonly meaning: string;
  /**
   * The CLI's exit status when a command fails with this code; null for codes only the
   * inspector's HTTP API raises (were one to end a command, it would exit 1).
   */
  readonly exit: 1 | 2 | null;
  /**
   * The inspector's HTTP status when a request fails with this code; null for codes the
   * inspector never answers with (were one to reach it, it would be the server's fault: 500).
   */
  readonly http: 400 | 403 | 404 | 405 | 500 | null;
}

/**
 * The registry: the only place an error code is declared. `ErrorCode` is derived from its keys,
 * so a code raised anywhere else fails to type-check until it is added here, and the tests hold
 * `docs/errors.md` to this table.
 */
export const ERROR_CODES = {
  INPUT_INVALID_OBJECT: {
    meaning: 'An object breaks a ServiceEntry or WorkloadEntry rule of Istio\'s validation; the message names the object, the field and the rule. The object is skipped, the others are kept.',
    exit: 1, http: null,
  },
  INPUT_UNSUPPORTED_KIND: {
    meaning: 'An input document is neither a ServiceEntry nor a WorkloadEntry; it is skipped.',
    exit: 1, http: null,
  },
  INPUT_MALFORMED: {
    meaning: 'Input that is not a watch event, an object, a `List` or YAML meshfold can read (bad JSON, an unknown event type, a watch `ERROR`, a time that is not RFC 3339 on append, a `stateAt` point that is neither a seq of the log nor an RFC 3339 time); reported with its position and skipped.',
    exit: 1, http: null,
  },
  INPUT_UNKNOWN_DELETE: {
    meaning: 'A `DELETED` event for an object the log does not hold: recorded, changes nothing, and is printed as a warning; it does not fail the command.',
    exit: 1, http: null,
  },
  INPUT_UNREADABLE: {
    meaning: 'An input file argument could not be read (a directory, no permission, a FIFO that failed); reported with its position and skipped, the other inputs are still recorded.',
    exit: 1, http: null,
  },
  STORE_NOT_FOUND: {
    meaning: 'No log at the given location; a query never creates one.',
    exit: 1, http: 404,
  },
  STORE_NOT_OPEN: {
    meaning: 'The log was used while it was not open (before opening finished, or after it was closed).',
    exit: 1, http: 500,
  },
  STORE_LOG_IN_USE: {
    meaning: 'Another process holds the log: LevelDB allows one process per log directory; a JetStream log allows one writer (another appended first).',
    exit: 1, http: 500,
  },
  STORE_CORRUPT_VALUE: {
    meaning: 'A value in the log does not decode, or the log contradicts itself; the message names the seq.',
    exit: 1, http: 500,
  },
  STORE_UNKNOWN_FORMAT: {
    meaning: 'A value or a database in a format this meshfold does not know (written by a newer version, or not using view encodings).',
    exit: 1, http: 500,
  },
  STORE_CORRUPT_MISSING: {
    meaning: 'Events the log acknowledged are gone: a gap in the seqs, a log shorter than its own stored last seq, or shorter than the seq its `meshfold-acked` marker holds (a torn or truncated write-ahead log); the message names the missing seqs.',
    exit: 1, http: 500,
  },
  STORE_CORRUPT_DATABASE: {
    meaning: 'LevelDB reports its own files damaged (`CURRENT`, `MANIFEST`, a table), a file they name is missing, or the `meshfold-acked` marker is damaged; during an event read it names the seqs it could not read.',
    exit: 1, http: 500,
  },
  STORE_SNAPSHOT_REJECTED: {
    meaning: 'A snapshot of another projector version, one that does not match its digest, or a delta whose chain down to a full snapshot has a missing or such a link, is ignored and reported as a warning (the events stay the truth); writing a snapshot that cannot be stored fails with it.',
    exit: 1, http: null,
  },
  STORE_INDEX_REJECTED: {
    meaning: 'Blocks of a derived index (history\'s link index) that do not continue it where it ends, reach past the log\'s last seq, or go to a log that keeps no derived index (JetStream); the events are untouched.',
    exit: 1, http: null,
  },
  STORE_IO: {
    meaning: 'The database failed for another reason (disk, permissions); the message carries LevelDB\'s.',
    exit: 1, http: 500,
  },
  STORE_READ_ONLY: {
    meaning: 'A write (an append or a snapshot) to a log opened read-only, as every query command opens it.',
    exit: 1, http: 500,
  },
  CLI_USAGE: {
    meaning: 'A command line or an inspector query is wrong: an unknown command, option or parameter, a missing or repeated argument, a seq past the end of the log, a time that is not RFC 3339.',
    exit: 2, http: 400,
  },
  CLI_NOT_FOUND: {
    meaning: 'A path named on the command line does not exist; an input file is reported and skipped, the other inputs are still recorded.',
    exit: 1, http: null,
  },
  SERVE_LISTEN: {
    meaning: 'The inspector cannot listen on the address and port it was given (the port is in use, the address is not this machine\'s).',
    exit: 1, http: null,
  },
  SERVE_NOT_FOUND: {
    meaning: 'No such path on the inspector.',
    exit: null, http: 404,
  },
  SERVE_METHOD_NOT_ALLOWED: {
    meaning: 'A method other than GET or HEAD: the inspector is read-only.',
    exit: null, http: 405,
  },
  SERVE_FORBIDDEN_HOST: {
    meaning: 'A request to an inspector bound to a loopback address whose `Host` is not a loopback name (DNS rebinding).',
    exit: null, http: 403,
  },
  SERVE_NOT_FOLLOWING: {
    meaning: '`/api/stream` on an inspector that does not follow its log (started without `--follow` or `record --serve`).',
    exit: null, http: 404,
  },
  SERVE_ASSET_MISSING: {
    meaning: 'The inspector page is not built (`npm run build` writes it).',
    exit: null, http: 500,
  },
  VERIFY_INVALID_EVENT: {
    meaning: '`verify`: an event in the log does not apply to the fold; the message names the seq and why.',
    exit: 1, http: null,
  },
  VERIFY_SNAPSHOT_MISMATCH: {
    meaning: '`verify`: a snapshot\'s digest differs from that of the state replay holds at its seq.',
    exit: 1, http: null,
  },
  VERIFY_INDEX_MISMATCH: {
    meaning: '`verify`: the link index `history` reads differs from what a replay gives; the message names the namespace, the seq and both rows; `meshfold reindex --rebuild` builds the index again.',
    exit: 1, http: null,
  },
  WATCH_KUBECTL_NOT_FOUND: {
    meaning: '`meshfold watch` could not run `kubectl`: it is not on `PATH`.',
    exit: 1, http: null,
  },
  WATCH_KUBECTL_FAILED: {
    meaning: '`kubectl` failed in a way retrying cannot fix (the first list failing: no cluster, bad credentials, no Istio CRDs; or Unauthorized, Forbidden or an unknown resource type later); the message carries kubectl\'s last error line. What was read before is kept.',
    exit: 1, http: null,
  },
  CHECK_UNKNOWN_DUMP: {
    meaning: '`meshfold check`: a dump file is none of the formats it reads (an Envoy config dump with EDS, Envoy\'s `/clusters?format=json` or `istioctl proxy-config endpoint -o json`, meshfold\'s `endpoints -o eds`); the message names what was expected. Drift is not an error: it is exit status 3.',
    exit: 1, http: null,
  },
  CHECK_NO_EDS: {
    meaning: '`meshfold check`: an Envoy config dump without an `EndpointsConfigDump`, captured without `?include_eds`.',
    exit: 1, http: null,
  },
  INTERNAL: {
    meaning: 'Something meshfold did not expect, a bug: the CLI prints the stack; the inspector logs it and answers without details.',
    exit: 1, http: 500,
  },
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

/** Every code meshfold raises: the keys of the registry, nothing else. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `value` is a code of this registry. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The CLI's exit status for a command that fails with `code`. */
export function exitStatus(code: ErrorCode): number {
  return ERROR_CODES[code].exit ?? 1;
}

/** The inspector's HTTP status for a request that fails with `code`. */
export function httpStatus(code: ErrorCode): number {
  return ERROR_CODES[code].http ?? 500;
}
