import { SetMultimap } from './SetMultimap.js';

/**
 * (namespace, host) → names of the ServiceEntries contributing endpoints to that EDS shard.
 * Nested by namespace, so the keys are the records' own namespace and host strings: a joined
 * `ns/host` key per shard was a fresh string (and cons-string wrapper) of ~56 bytes each.
 */
export class ShardIndex {
  readonly #namespaces = new Map<string, SetMultimap>();
  #size = 0;

  /** Number of shards. */
  get size(): number {
    return this.#size;
  }

  add(namespace: string, host: string, name: string): void {
    let hosts = this.#namespaces.get(namespace);
    if (!hosts) {
      hosts = new SetMultimap();
      this.#namespaces.set(namespace, hosts);
    }
    const before = hosts.size;
    hosts.add(host, name);
    this.#size += hosts.size - before;
  }

  delete(namespace: string, host: string, name: string): void {
    const hosts = this.#namespaces.get(namespace);
    if (!hosts) return;
    const before = hosts.size;
    hosts.delete(host, name);
    this.#size += hosts.size - before;
    if (hosts.size === 0) this.#namespaces.delete(namespace);
  }

  /** A fresh array, safe to hold while the index changes. */
  get(namespace: string, host: string): string[] {
    return this.#namespaces.get(namespace)?.get(host) ?? [];
  }

  /** The namespaces with a shard of `host`: one lookup per namespace, as hosts are kept by namespace. */
  namespacesOf(host: string): string[] {
    const out: string[] = [];
    for (const [namespace, hosts] of this.#namespaces) if (hosts.count(host) > 0) out.push(namespace);
    return out;
  }

  /** Every shard as [namespace, host]. */
  *shards(): IterableIterator<[string, string]> {
    for (const [namespace, hosts] of this.#namespaces) for (const host of hosts.keys()) yield [namespace, host];
  }

  /** Number of (shard, ServiceEntry) entries, for size accounting. */
  entries(): number {
    let n = 0;
    for (const hosts of this.#namespaces.values()) for (const host of hosts.keys()) n += hosts.count(host);
    return n;
  }
}
