/**
 * Every error meshfold raises carries a stable `code` that scripts can match on,
 * and a message that names the object, the position and the rule that was broken.
 */
export type ErrorCode =
  | 'INPUT_INVALID_OBJECT'
  | 'INPUT_UNSUPPORTED_KIND'
  | 'INPUT_MALFORMED'
  | 'INPUT_UNKNOWN_DELETE'
  | 'STORE_NOT_OPEN'
  | 'STORE_LOG_IN_USE'
  | 'STORE_CORRUPT_VALUE'
  | 'STORE_UNKNOWN_FORMAT'
  | 'STORE_CORRUPT_MISSING'
  | 'STORE_CORRUPT_DATABASE'
  | 'STORE_SNAPSHOT_REJECTED'
  | 'STORE_IO'
  | 'STORE_NOT_FOUND'
  | 'STORE_READ_ONLY'
  | 'INPUT_UNREADABLE'
  | 'CLI_USAGE'
  | 'CLI_NOT_FOUND'
  | (string & {});

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `spec.ports[1].name`. */
  field: string;
  /** What rule the field breaks, in words. */
  rule: string;
}

export class MeshfoldError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'MeshfoldError';
    this.code = code;
    this.details = details;
  }

  /** One line, as the CLI prints it: `CODE: message`. */
  toLine(): string {
    return `${this.code}: ${this.message}`;
  }
}

export function isMeshfoldError(err: unknown): err is MeshfoldError {
  return err instanceof MeshfoldError;
}
