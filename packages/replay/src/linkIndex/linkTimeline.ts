import type { EventLog } from '@meshfold/store';
import { decodeLinkBlock } from './LinkBlock.js';
import { LINK_INDEX } from './linkIndexName.js';

/**
 * One namespace's part of the link index through `to`, blocks joined: names and hosts as ids
 * into `names`, seqs whole. Rows as in LinkBlock: `events` `[seq, kind, name]`, `links` `[seq,
 * serviceEntry, workloadEntry, added]`, `hosts` `[seq, serviceEntry, host, added]`, each in seq order.
 */
export interface LinkTimeline {
  readonly names: readonly string[];
  readonly events: Float64Array;
  readonly links: Float64Array;
  readonly hosts: Float64Array;
  /** The id of a name or host, undefined when the namespace's index never names it. */
  id(name: string): number | undefined;
}

export async function linkTimeline(log: EventLog, namespace: string, to: number): Promise<LinkTimeline> {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const intern = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) {
      ids.set(name, (id = names.length));
      names.push(name);
    }
    return id;
  };
  const blocks = (await log.indexBlocks(LINK_INDEX, namespace, { to }))
    .map(({ seq, value }) => ({ base: seq, ...decodeLinkBlock(value, `${LINK_INDEX} of namespace ${namespace}, block at seq ${seq}`) }));
  const size = (column: 'events' | 'links' | 'hosts') => blocks.reduce((sum, block) => sum + block[column].length, 0);
  const events = new Float64Array(size('events'));
  const links = new Float64Array(size('links'));
  const hosts = new Float64Array(size('hosts'));
  let [e, l, h] = [0, 0, 0];
  // One plain loop per column: this runs for every row of the namespace on every history.
  for (const block of blocks) {
    const { base } = block;
    const global = block.names.map(intern);
    const rows = block.events;
    for (let i = 0; i < rows.length && base + rows[i]! <= to; i += 3, e += 3) {
      events[e] = base + rows[i]!;
      events[e + 1] = rows[i + 1]!;
      events[e + 2] = global[rows[i + 2]!]!;
    }
    l = copyChanges(block.links, base, to, global, links, l);
    h = copyChanges(block.hosts, base, to, global, hosts, h);
  }
  return { names, events: events.subarray(0, e), links: links.subarray(0, l), hosts: hosts.subarray(0, h), id: (name) => ids.get(name) };
}

/** Rows `[seq offset, name, name|host, added]` through `to`, as `[seq, id, id, added]` into `into` from `at`; the new end. */
function copyChanges(rows: Uint32Array, base: number, to: number, global: number[], into: Float64Array, at: number): number {
  for (let i = 0; i < rows.length && base + rows[i]! <= to; i += 4, at += 4) {
    into[at] = base + rows[i]!;
    into[at + 1] = global[rows[i + 1]!]!;
    into[at + 2] = global[rows[i + 2]!]!;
    into[at + 3] = rows[i + 3]!;
  }
  return at;
}
