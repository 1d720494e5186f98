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
  const timeline = { names, events: new Float64Array(size('events')), links: new Float64Array(size('links')), hosts: new Float64Array(size('hosts')), id: (name: string) => ids.get(name) };
  const ends = { events: 0, links: 0, hosts: 0 };
  for (const block of blocks) {
    const global = block.names.map(intern);
    for (const [column, width] of [['events', 3], ['links', 4], ['hosts', 4]] as const) {
      const rows = block[column];
      const into = timeline[column];
      let at = ends[column];
      for (let i = 0; i < rows.length && block.base + rows[i]! <= to; i += width, at += width) {
        into[at] = block.base + rows[i]!;
        // events: [seq, kind, name]; links and hosts: [seq, name, name|host, added]
        if (width === 3) {
          into[at + 1] = rows[i + 1]!;
          into[at + 2] = global[rows[i + 2]!]!;
        } else {
          into[at + 1] = global[rows[i + 1]!]!;
          into[at + 2] = global[rows[i + 2]!]!;
          into[at + 3] = rows[i + 3]!;
        }
      }
      ends[column] = at;
    }
  }
  return { ...timeline, events: timeline.events.subarray(0, ends.events), links: timeline.links.subarray(0, ends.links), hosts: timeline.hosts.subarray(0, ends.hosts) };
}
