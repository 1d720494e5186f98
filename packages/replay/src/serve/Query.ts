import { MeshfoldError } from '@meshfold/core';

/**
 * A request's query string, read strictly: an unknown or repeated parameter is a usage error,
 * because a typo (`?seq=8` for `?at=8`) would otherwise quietly answer for the latest state.
 */
export class Query {
  readonly #params: URLSearchParams;

  /** `allowed: 'any'` for routes that ignore the query (the page's assets). */
  constructor(params: URLSearchParams, allowed: readonly string[] | 'any') {
    this.#params = params;
    if (allowed === 'any') return;
    for (const name of new Set(params.keys())) {
      if (!allowed.includes(name)) {
        const takes = allowed.length > 0 ? `takes ${allowed.join(', ')}` : 'takes no parameters';
        throw new MeshfoldError('CLI_USAGE', `unknown parameter ${JSON.stringify(name)}; this endpoint ${takes}`);
      }
      if (params.getAll(name).length > 1) throw new MeshfoldError('CLI_USAGE', `parameter ${name} is given more than once`);
    }
  }

  /** The value, or undefined when absent: what the CLI sees for an option not given. */
  get(name: string): string | undefined {
    return this.#params.get(name) ?? undefined;
  }

  /** An integer in min..max, or `fallback` when absent. */
  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.get(name);
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) throw new MeshfoldError('CLI_USAGE', `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return n;
  }
}
