import { SetMultimap } from './SetMultimap.js';

/**
 * namespace → label key → label value → members. Nested maps rather than one map keyed by a
 * `ns/key=value` string: the fold looks labels up with strings it already holds (interned
 * namespaces, label keys and values of the records), so no key string is built and hashed per
 * event. A key, once created for a namespace, stays: it also records that the key is indexed.
 */
export class LabelIndex {
  readonly #namespaces = new Map<string, Map<string, SetMultimap>>();

  add(namespace: string, key: string, value: string, member: string): void {
    this.#values(namespace, key, true)!.add(value, member);
  }

  delete(namespace: string, key: string, value: string, member: string): void {
    this.#values(namespace, key, false)?.delete(value, member);
  }

  get(namespace: string, key: string, value: string): string[] {
    return this.#values(namespace, key, false)?.get(value) ?? [];
  }

  count(namespace: string, key: string, value: string): number {
    return this.#values(namespace, key, false)?.count(value) ?? 0;
  }

  hasKey(namespace: string, key: string): boolean {
    return this.#namespaces.get(namespace)?.has(key) ?? false;
  }

  /** Marks `key` as indexed in `namespace`, even before any member has it. */
  addKey(namespace: string, key: string): void {
    this.#values(namespace, key, true);
  }

  /** Number of (label, member) entries, for size accounting. */
  entries(): number {
    let n = 0;
    for (const keys of this.#namespaces.values()) {
      for (const values of keys.values()) for (const value of values.keys()) n += values.count(value);
    }
    return n;
  }

  #values(namespace: string, key: string, create: boolean): SetMultimap | undefined {
    let keys = this.#namespaces.get(namespace);
    if (!keys) {
      if (!create) return undefined;
      keys = new Map();
      this.#namespaces.set(namespace, keys);
    }
    let values = keys.get(key);
    if (!values && create) {
      values = new SetMultimap();
      keys.set(key, values);
    }
    return values;
  }
}
