import { NameTable } from './NameTable.js';

/**
 * Objects by namespace, then name. The record's own name string is the key, so a mesh of
 * workloads holds no `ns/name` string per object (a fresh one cost ~56 bytes per workload, as
 * much as the hash-table entry); `ns/name` keys are only built for callers that ask with one.
 */
export class ObjectMap<V extends { readonly namespace: string; readonly name: string }> {
  readonly #namespaces = new Map<string, NameTable<V>>();
  #size = 0;
  /** Each namespace's names in order, once `sorted` was asked for (see there). */
  #order: Map<string, string[]> | undefined;

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
    const added = names.size - before;
    this.#size += added;
    // A new version of an object keeps its place: only a new name moves the order.
    if (this.#order && added > 0) {
      let list = this.#order.get(value.namespace);
      if (!list) {
        list = [];
        this.#order.set(value.namespace, list);
      }
      list.splice(searchName(list, value.name), 0, value.name);
    }
  }

  delete(namespace: string, name: string): void {
    const names = this.#namespaces.get(namespace);
    if (!names?.delete(name)) return;
    this.#size--;
    if (names.size === 0) this.#namespaces.delete(namespace);
    const list = this.#order?.get(namespace);
    if (list) {
      list.splice(searchName(list, name), 1);
      if (list.length === 0) this.#order!.delete(namespace);
    }
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
   *
   * The first call sorts; from then on each namespace's names are kept in order as objects come
   * and go (a binary search each; a new version of an object, most of what a fold applies, costs
   * nothing), as a writer of snapshots asks again every few thousand events and sorting every
   * object each time was a large part of taking a snapshot. A state that is never asked holds no
   * second copy of its objects' names.
   */
  sorted(): V[] {
    if (!this.#order) {
      this.#order = new Map();
      for (const [namespace, names] of this.#namespaces) this.#order.set(namespace, names.toArray().map((v) => v.name).sort());
    }
    const out: V[] = [];
    const namespaces = [...this.#order.keys()].map((ns) => `${ns}/`).sort();
    for (const prefix of namespaces) {
      const namespace = prefix.slice(0, -1);
      const names = this.#namespaces.get(namespace)!;
      for (const name of this.#order.get(namespace)!) out.push(names.get(name)!);
    }
    return out;
  }

  /** `ns/name` keys, built on the fly. */
  *keys(): IterableIterator<string> {
    for (const [namespace, names] of this.#namespaces) for (const v of names.values()) yield `${namespace}/${v.name}`;
  }
}

/** Where `name` is, or would go, in the sorted `list`. */
function searchName(list: readonly string[], name: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EMPTY: Pick<NameTable<never>, 'get' | 'values' | 'size'> = new NameTable<never>();
