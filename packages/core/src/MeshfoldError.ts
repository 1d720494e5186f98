import { isErrorCode, type ErrorCode } from './errorCodes.js';

/** One rule an object breaks: in `validateObject`'s answer and an `INPUT_INVALID_OBJECT` error's `issues`. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `spec.ports[1].name`. */
  field: string;
  /** What rule the field breaks, in words. */
  rule: string;
}

/**
 * What a MeshfoldError carries besides its message: `cause`, as in ES2022's `Error` options (the
 * failure this one explains), and details for scripts (e.g. `seq`, `object`, `issues`).
 */
export interface MeshfoldErrorOptions {
  readonly cause?: unknown;
  readonly [detail: string]: unknown;
}

/**
 * Every error meshfold raises carries a stable `code` from the registry (`ERROR_CODES`) that
 * scripts can match on, and a message that names the object, the position and the rule that was
 * broken.
 */
export class MeshfoldError extends Error {
  readonly code: ErrorCode;
  /** Everything passed in `options` except `cause`. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: MeshfoldErrorOptions = {}) {
    const { cause, ...details } = options;
    super(message, 'cause' in options ? { cause } : undefined);
    this.name = 'MeshfoldError';
    this.code = code;
    this.details = details;
  }

  /** One line, as the CLI prints it: `CODE: message`. */
  toLine(): string {
    return `${this.code}: ${this.message}`;
  }
}

/**
 * Whether `err` is a MeshfoldError (with `code`, when given). It looks at the error's name and
 * checks its `code` against the registry instead of using `instanceof`: an application can hold
 * two copies of this package (one beside @meshfold/store, one of its own), each with its own class.
 */
export function isMeshfoldError<C extends ErrorCode = ErrorCode>(err: unknown, code?: C): err is MeshfoldError & { readonly code: C } {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code: actual, message } = err as { name?: unknown; code?: unknown; message?: unknown };
  return name === 'MeshfoldError' && typeof message === 'string' && isErrorCode(actual) && (code === undefined || actual === code);
}

/**
 * Something worth reporting about an accepted event that is not an error: a DELETED of an object
 * the state does not hold (`INPUT_UNKNOWN_DELETE`), which takes its seq and changes nothing.
 * Reported apart from errors (`ProjectOptions.onNotice`, `ApplyResult.notice`).
 */
export interface Notice {
  readonly code: ErrorCode;
  readonly message: string;
}
