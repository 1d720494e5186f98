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

  /**
   * `base` merged with `over` (`over` wins), keys sorted, shared with every equal map seen
   * before. Built in one pass over the keys: the fold calls this for every workload event, so it
   * allocates nothing when the map is already known. Keys and values must be valid labels or
   * port names and numbers (no NUL), which validation has checked by the time records are made.
   */
  sortedMap<V extends string | number>(base?: Readonly<Record<string, V>>, over?: Readonly<Record<string, V>>): Readonly<Record<string, V>> {
    const keys = mergedKeys(base, over);
    let key = '';
    for (const k of keys) key += `${k}\u0000${String(over?.[k] ?? base![k])}\u0000`;
    const known = this.#maps.get(key);
    if (known !== undefined) return known as Readonly<Record<string, V>>;
    const map: Record<string, V> = {};
    for (const k of keys) map[k] = (over && k in over ? over[k] : base![k]) as V;
    if (this.#maps.size >= this.#limit) this.#maps.clear();
    this.#maps.set(key, Object.freeze(map));
    return map;
  }

  /** The value made for `key` the first time it was asked for: sharing without serialising. */
  keyed<T extends object>(key: string, make: () => T): T {
    const known = this.#maps.get(key);
    if (known !== undefined) return known as T;
    const value = Object.freeze(make());
    if (this.#maps.size >= this.#limit) this.#maps.clear();
    this.#maps.set(key, value);
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

function mergedKeys(base?: Readonly<Record<string, unknown>>, over?: Readonly<Record<string, unknown>>): string[] {
  const keys = base ? Object.keys(base) : [];
  if (over) for (const k of Object.keys(over)) if (!base || !(k in base)) keys.push(k);
  return keys.sort();
}

/** For callers that do not share: every value is its own. */
export const NO_INTERNING: Pick<Interner, 'string' | 'map' | 'sortedMap' | 'keyed'> = {
  string: (value) => value,
  map: (map) => map,
  keyed: (_key, make) => make(),
  sortedMap: <V extends string | number>(base?: Readonly<Record<string, V>>, over?: Readonly<Record<string, V>>) => {
    const map: Record<string, V> = {};
    for (const k of mergedKeys(base, over)) map[k] = (over && k in over ? over[k] : base![k]) as V;
    return map;
  },
};
