/**
 * Shares equal strings and equal small maps between records: a mesh has few distinct label
 * sets, port maps and namespaces, but one copy of each per workload without this (istio#25531
 * was, in part, the same value copied into every key). Bounded: past `limit` entries the table
 * starts afresh, which only costs sharing, never correctness.
 */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #maps = new Map<string, object>();
  readonly #limit: number;

  constructor(limit = 1 << 16) {
    this.#limit = limit;
  }

  string(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    if (this.#strings.size >= this.#limit) this.#strings.clear();
    this.#strings.set(value, value);
    return value;
  }

  /** A map or list; a map must already have sorted keys (records are built that way). */
  map<T extends object>(map: T): T {
    const key = JSON.stringify(map);
    const known = this.#maps.get(key);
    if (known !== undefined) return known as T;
    if (this.#maps.size >= this.#limit) this.#maps.clear();
    Object.freeze(map);
    this.#maps.set(key, map);
    return map;
  }
}

/** For callers that do not share: every value is its own. */
export const NO_INTERNING: Pick<Interner, 'string' | 'map'> = {
  string: (value) => value,
  map: (map) => map,
};
