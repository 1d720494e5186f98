import { namespaceOf, type ApplyResult, type ObjectRecord, type WatchEvent } from '@meshfold/core';
import type { IndexBlock } from '@meshfold/store';
import { encodeLinkBlock, SERVICE_ENTRY, WORKLOAD_ENTRY } from './LinkBlock.js';

/**
 * Rows (events, association and host changes) a block grows to before it is sealed and the next
 * one begins: a block is rewritten whole each time it grows, so a slow live recording does not
 * leave a block per event for history to read, and a fast one rewrites each block about once.
 */
const SEAL_ROWS = 256;

/** One namespace's open block: what it holds so far. */
class Pending {
  readonly seq: number;
  readonly names = new Map<string, number>();
  readonly events: number[] = [];
  readonly links: number[] = [];
  readonly hosts: number[] = [];

  constructor(seq: number) {
    this.seq = seq;
  }

  get rows(): number {
    return this.events.length / 3 + this.links.length / 4 + this.hosts.length / 4;
  }

  id(name: string): number {
    let id = this.names.get(name);
    if (id === undefined) this.names.set(name, (id = this.names.size));
    return id;
  }
}

/**
 * Collects, from the fold's results event by event, what the link index keeps (see LinkBlock),
 * and hands out the blocks to write for the events added since the last `take`: each namespace's
 * open block, whole (it replaces what was written of it before). A replay returns the
 * association deltas for nothing and its change carries the old and new ServiceEntry, so building
 * the index adds no fold work. Only events the fold accepted are added.
 */
export class LinkBlockBuilder {
  readonly #open = new Map<string, Pending>();
  #touched = new Set<string>();
  readonly #sealRows: number;

  /** `sealRows`: for tests of how blocks are cut; the default is the one the index is read best with. */
  constructor(sealRows = SEAL_ROWS) {
    this.#sealRows = sealRows;
  }

  add(seq: number, event: Pick<WatchEvent, 'object'>, result: ApplyResult): void {
    const namespace = namespaceOf(event.object);
    const name = event.object.metadata.name as string;
    const block = this.#block(namespace, seq);
    const offset = seq - block.seq;
    block.events.push(offset, event.object.kind === 'ServiceEntry' ? SERVICE_ENTRY : WORKLOAD_ENTRY, block.id(name));
    for (const delta of result.deltas) {
      if (delta.type !== 'association-added' && delta.type !== 'association-removed') continue;
      // Both are `namespace/name` of the event's namespace: the fold never crosses one.
      const se = delta.serviceEntry.slice(namespace.length + 1);
      const we = delta.workloadEntry.slice(namespace.length + 1);
      block.links.push(offset, block.id(se), block.id(we), delta.type === 'association-added' ? 1 : 0);
    }
    const { old, new: nu } = result.change ?? {};
    if (old?.kind !== 'ServiceEntry' && nu?.kind !== 'ServiceEntry') return;
    const before = hostsOf(old);
    const after = hostsOf(nu);
    for (const host of before) if (!after.includes(host)) block.hosts.push(offset, block.id(name), block.id(host), 0);
    for (const host of after) if (!before.includes(host)) block.hosts.push(offset, block.id(name), block.id(host), 1);
  }

  /** The open block of each namespace added to since the last call, at the first seq it holds; the full ones are sealed. */
  take(): IndexBlock[] {
    const blocks = [...this.#touched].map((group) => {
      const p = this.#open.get(group)!;
      if (p.rows >= this.#sealRows) this.#open.delete(group);
      return {
        group, seq: p.seq,
        value: encodeLinkBlock({ names: [...p.names.keys()], events: Uint32Array.from(p.events), links: Uint32Array.from(p.links), hosts: Uint32Array.from(p.hosts) }),
      };
    });
    this.#touched = new Set();
    return blocks;
  }

  #block(namespace: string, seq: number): Pending {
    this.#touched.add(namespace);
    let block = this.#open.get(namespace);
    if (!block) this.#open.set(namespace, (block = new Pending(seq)));
    return block;
  }
}

function hostsOf(record: ObjectRecord | undefined): readonly string[] {
  return record?.kind === 'ServiceEntry' ? record.hosts : [];
}
