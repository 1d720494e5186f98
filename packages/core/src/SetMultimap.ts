/**
 * key → set of strings. Most keys in a mesh hold one value (a WorkloadEntry selected by one
 * ServiceEntry, a label value carried by one workload), so a lone value is stored bare and
 * only promoted to a Set when a second arrives: a Set costs ~200 bytes, a string reference 8.
 */
export class SetMultimap {
  readonly #map = new Map<string, string | Set<string>>();

  get size(): number {
    return this.#map.size;
  }

  add(key: string, value: string): void {
    const cur = this.#map.get(key);
    if (cur === undefined) this.#map.set(key, value);
    else if (typeof cur === 'string') {
      if (cur !== value) this.#map.set(key, new Set([cur, value]));
    } else cur.add(value);
  }

  delete(key: string, value: string): void {
    const cur = this.#map.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur === value) this.#map.delete(key);
      return;
    }
    cur.delete(value);
    if (cur.size === 1) this.#map.set(key, cur.values().next().value as string);
    else if (cur.size === 0) this.#map.delete(key);
  }

  has(key: string, value: string): boolean {
    const cur = this.#map.get(key);
    return cur === value || (typeof cur === 'object' && cur.has(value));
  }

  /** A fresh array, safe to hold while the map changes. */
  get(key: string): string[] {
    const cur = this.#map.get(key);
    if (cur === undefined) return [];
    return typeof cur === 'string' ? [cur] : [...cur];
  }

  count(key: string): number {
    const cur = this.#map.get(key);
    return cur === undefined ? 0 : typeof cur === 'string' ? 1 : cur.size;
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }
}
