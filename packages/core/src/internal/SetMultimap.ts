/**
 * key → set of strings, stored by size: most keys in a mesh hold one value (a label value carried
 * by one workload), many a handful (the workloads of one service), few hundreds. A lone value is
 * stored bare, a few in an exact-size array, more in a Set: a Set of ten costs ~370 bytes, an
 * array of ten ~130, a bare string reference 8. Arrays are scanned linearly, which at this size
 * is as fast as hashing. Insertion order is kept in every form.
 */
const ARRAY_LIMIT = 16;

export class SetMultimap {
  readonly #map = new Map<string, string | string[] | Set<string>>();

  get size(): number {
    return this.#map.size;
  }

  add(key: string, value: string): void {
    const cur = this.#map.get(key);
    if (cur === undefined) this.#map.set(key, value);
    else if (typeof cur === 'string') {
      if (cur !== value) this.#map.set(key, [cur, value]);
    } else if (Array.isArray(cur)) {
      if (cur.includes(value)) return;
      // A fresh exact-size array (concat allocates exactly; push or spread leave spare capacity).
      this.#map.set(key, cur.length < ARRAY_LIMIT ? cur.concat(value) : new Set([...cur, value]));
    } else cur.add(value);
  }

  delete(key: string, value: string): void {
    const cur = this.#map.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur === value) this.#map.delete(key);
    } else if (Array.isArray(cur)) {
      const i = cur.indexOf(value);
      if (i < 0) return;
      if (cur.length === 2) this.#map.set(key, cur[1 - i]!);
      else this.#map.set(key, cur.slice(0, i).concat(cur.slice(i + 1)));
    } else if (cur.delete(value) && cur.size <= ARRAY_LIMIT / 2) this.#map.set(key, Array.from(cur));
  }

  has(key: string, value: string): boolean {
    const cur = this.#map.get(key);
    if (cur === undefined || typeof cur === 'string') return cur === value;
    return Array.isArray(cur) ? cur.includes(value) : cur.has(value);
  }

  /** A fresh array, safe to hold while the map changes. */
  get(key: string): string[] {
    const cur = this.#map.get(key);
    if (cur === undefined) return [];
    return typeof cur === 'string' ? [cur] : [...cur];
  }

  count(key: string): number {
    const cur = this.#map.get(key);
    if (cur === undefined) return 0;
    return typeof cur === 'string' ? 1 : Array.isArray(cur) ? cur.length : cur.size;
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }
}
