import { NameTable } from './NameTable.js';

/**
 * Objects by namespace, then name. The record's own name string is the key, so a mesh of
 * workloads holds no `ns/name` string per object (a fresh one cost ~56 bytes per workload, as
 * much as the hash-table entry); `ns/name` keys are only built for callers that ask with one.
 */
export class ObjectMap<V extends { readonly namespace: string; readonly name: string }> {
  readonly #namespaces = new Map<string, NameTable<V>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** By `ns/name`. */
  get(key: string): V | undefined {
    const slash = key.indexOf('/');
    return slash < 0 ? undefined : this.getIn(key.slice(0, slash), key.slice(slash + 1));
  }

  getIn(namespace: string, name: string): V | undefined {
    return this.#namespaces.get(namespace)?.get(name);
  }

  /** Adds `value`, or replaces the one of the same namespace and name. */
  set(value: V): void {
    let names = this.#namespaces.get(value.namespace);
    if (!names) {
      names = new NameTable();
      this.#namespaces.set(value.namespace, names);
    }
    const before = names.size;
    names.set(value);
    this.#size += names.size - before;
  }

  delete(namespace: string, name: string): void {
    const names = this.#namespaces.get(namespace);
    if (!names?.delete(name)) return;
    this.#size--;
    if (names.size === 0) this.#namespaces.delete(namespace);
  }

  /** The objects of one namespace, by name; iterated in no particular order. */
  inNamespace(namespace: string): Pick<NameTable<V>, 'get' | 'values' | 'size'> {
    return this.#namespaces.get(namespace) ?? EMPTY;
  }

  *values(): IterableIterator<V> {
    for (const names of this.#namespaces.values()) yield* names.values();
  }

  /**
   * Every value in the order of its `ns/name` key, without building the keys: namespaces compare
   * as `ns/` (so `a-b/x` comes before `a/x`, as the keys do), names within one as themselves.
   */
  sorted(): V[] {
    const out: V[] = [];
    const namespaces = [...this.#namespaces.keys()].map((ns) => `${ns}/`).sort();
    for (const prefix of namespaces) {
      const values = this.#namespaces.get(prefix.slice(0, -1))!.toArray();
      values.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const v of values) out.push(v);
    }
    return out;
  }

  /** `ns/name` keys, built on the fly. */
  *keys(): IterableIterator<string> {
    for (const [namespace, names] of this.#namespaces) for (const v of names.values()) yield `${namespace}/${v.name}`;
  }
}

const EMPTY: Pick<NameTable<never>, 'get' | 'values' | 'size'> = new NameTable<never>();
