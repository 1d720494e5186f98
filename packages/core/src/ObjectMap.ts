/**
 * Objects by namespace, then name. The record's own name string is the key, so a mesh of
 * workloads holds no `ns/name` string per object (a fresh one cost ~56 bytes per workload, as
 * much as the hash-table entry); `ns/name` keys are only built for callers that ask with one.
 */
export class ObjectMap<V> {
  readonly #namespaces = new Map<string, Map<string, V>>();
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

  /** An existing entry keeps its key string: members of other indexes may share it. */
  set(namespace: string, name: string, value: V): void {
    let names = this.#namespaces.get(namespace);
    if (!names) {
      names = new Map();
      this.#namespaces.set(namespace, names);
    }
    const before = names.size;
    names.set(name, value);
    this.#size += names.size - before;
  }

  delete(namespace: string, name: string): void {
    const names = this.#namespaces.get(namespace);
    if (!names?.delete(name)) return;
    this.#size--;
    if (names.size === 0) this.#namespaces.delete(namespace);
  }

  /** name → value of one namespace. */
  inNamespace(namespace: string): ReadonlyMap<string, V> {
    return this.#namespaces.get(namespace) ?? EMPTY;
  }

  *values(): IterableIterator<V> {
    for (const names of this.#namespaces.values()) yield* names.values();
  }

  /** `ns/name` keys, built on the fly. */
  *keys(): IterableIterator<string> {
    for (const [namespace, names] of this.#namespaces) for (const name of names.keys()) yield `${namespace}/${name}`;
  }
}

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();
