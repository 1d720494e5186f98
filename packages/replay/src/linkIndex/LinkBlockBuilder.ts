import { namespaceOf, type ApplyResult, type ObjectRecord, type WatchEvent } from '@meshfold/core';
import type { IndexBlock } from '@meshfold/store';
import { encodeLinkBlock, SERVICE_ENTRY, WORKLOAD_ENTRY } from './LinkBlock.js';

/** One namespace's part of the next block. */
class Pending {
  readonly seq: number;
  readonly names = new Map<string, number>();
  readonly events: number[] = [];
  readonly links: number[] = [];
  readonly hosts: number[] = [];

  constructor(seq: number) {
    this.seq = seq;
  }

  id(name: string): number {
    let id = this.names.get(name);
    if (id === undefined) this.names.set(name, (id = this.names.size));
    return id;
  }
}

/**
 * Collects, from the fold's results event by event, what the link index keeps (see LinkBlock),
 * and hands it out as one block per namespace for the events added since the last `take`. A
 * replay returns the association deltas for nothing and its change carries the old and new
 * ServiceEntry, so building the index adds no fold work. Only events the fold accepted are added.
 */
export class LinkBlockBuilder {
  #pending = new Map<string, Pending>();

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

  /** The blocks of everything added since the last call, each at the first seq it holds. */
  take(): IndexBlock[] {
    const blocks = [...this.#pending].map(([group, p]) => ({
      group, seq: p.seq,
      value: encodeLinkBlock({ names: [...p.names.keys()], events: Uint32Array.from(p.events), links: Uint32Array.from(p.links), hosts: Uint32Array.from(p.hosts) }),
    }));
    this.#pending = new Map();
    return blocks;
  }

  #block(namespace: string, seq: number): Pending {
    let block = this.#pending.get(namespace);
    if (!block) this.#pending.set(namespace, (block = new Pending(seq)));
    return block;
  }
}

function hostsOf(record: ObjectRecord | undefined): readonly string[] {
  return record?.kind === 'ServiceEntry' ? record.hosts : [];
}
