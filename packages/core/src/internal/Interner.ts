import { compactSortedMap, mergedKeys } from './compactSortedMap.js';

/**
 * Shares equal strings and equal small maps between records: a mesh has few distinct label
 * sets, port maps and namespaces, but one copy of each per workload without this (istio#25531
 * was, in part, the same value copied into every key). Bounded: past `limit` entries the table
 * starts afresh, which only costs sharing, never correctness.
 */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #maps = new Map<string, object>();
  /** Sorted maps by a hash of their entries (see `sortedMap`). */
  readonly #sorted = new Map<number, object>();
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
   * before. The table is keyed by a hash of the entries, not by a string of them: a key string
   * per label set was retained for as long as the table held it (~50 bytes, a third of what a
   * ServiceEntry's share of the interner cost). A hash collision only loses sharing: the later
   * map is compared, found different, and returned unshared. The fold calls this for every
   * workload event; a known map costs one pass over the entries and no string building.
   */
  sortedMap<V extends string | number>(base?: Readonly<Record<string, V>>, over?: Readonly<Record<string, V>>): Readonly<Record<string, V>> {
    const keys = mergedKeys(base, over);
    let hash = FNV_OFFSET;
    for (const k of keys) hash = mix(mix(hash, k), String(over && Object.hasOwn(over, k) ? over[k] : base![k]));
    hash >>>= 2;
    const known = this.#sorted.get(hash) as Readonly<Record<string, V>> | undefined;
    if (known !== undefined && sameEntries(known, keys, base, over)) return known;
    const map = compactSortedMap(base, over, keys);
    if (known !== undefined) return map;
    if (this.#sorted.size >= this.#limit) this.#sorted.clear();
    this.#sorted.set(hash, map);
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

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over `text` and a terminating 0, so `ab`,`c` and `a`,`bc` differ. Callers keep 30 bits: a small-integer key. */
function mix(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return Math.imul(h, 0x01000193);
}

/** Whether `map` holds exactly `keys`, each with its merged value (integer-like keys enumerate first, so order is not compared). */
function sameEntries<V>(map: Readonly<Record<string, V>>, keys: string[], base?: Readonly<Record<string, V>>, over?: Readonly<Record<string, V>>): boolean {
  let n = 0;
  for (const _ in map) n++;
  if (n !== keys.length) return false;
  for (const k of keys) if (map[k] !== (over && Object.hasOwn(over, k) ? over[k] : base![k])) return false;
  return true;
}

/** For callers that do not share: every value is its own. */
export const NO_INTERNING: Pick<Interner, 'string' | 'map' | 'sortedMap' | 'keyed'> = {
  string: (value) => value,
  map: (map) => map,
  keyed: (_key, make) => make(),
  sortedMap: <V extends string | number>(base?: Readonly<Record<string, V>>, over?: Readonly<Record<string, V>>) => {
    const map: Record<string, V> = {};
    for (const k of mergedKeys(base, over)) map[k] = (over && Object.hasOwn(over, k) ? over[k] : base![k]) as V;
    return map;
  },
};
