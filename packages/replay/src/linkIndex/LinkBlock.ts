import { Packr } from 'msgpackr';
import { MeshfoldError } from '@meshfold/core';

/**
 * One block of the link index: for one namespace and a run of seqs from the block's seq on,
 * every event the fold accepted (which object), every association it added or removed, and every
 * host a ServiceEntry gained or lost, each list in seq order. Stored as a name table (object
 * names and hosts, joined by newlines, which no valid name or host holds) and three columns of unsigned integers, seqs as offsets from the block's:
 * a namespace repeats the same few names across a block, and integers read back far faster than
 * objects.
 */
export interface LinkBlock {
  readonly names: readonly string[];
  /** `[seq offset, kind (0 ServiceEntry, 1 WorkloadEntry), name]` per accepted event. */
  readonly events: Uint32Array;
  /** `[seq offset, ServiceEntry name, WorkloadEntry name, added (1) or removed (0)]` per association change. */
  readonly links: Uint32Array;
  /** `[seq offset, ServiceEntry name, host, added (1) or removed (0)]` per host change. */
  readonly hosts: Uint32Array;
}

export const SERVICE_ENTRY = 0;
export const WORKLOAD_ENTRY = 1;

/** Part of the index name (linkIndexName): a block of another format is never read as one of this. */
export const LINK_BLOCK_FORMAT = 2;
const packr = new Packr({ useRecords: false });

export function encodeLinkBlock(block: LinkBlock): Uint8Array {
  return packr.pack({ v: LINK_BLOCK_FORMAT, names: block.names.join('\n'), events: bytesOf(block.events), links: bytesOf(block.links), hosts: bytesOf(block.hosts) });
}

/** Checks everything a reader indexes by: a block that fails is `STORE_CORRUPT_VALUE`, never a wrong history. */
export function decodeLinkBlock(value: Uint8Array, where: string): LinkBlock {
  let raw: { v?: unknown; names?: unknown; events?: unknown; links?: unknown; hosts?: unknown };
  try {
    raw = packr.unpack(value) as typeof raw;
  } catch (err) {
    throw corrupt(where, (err as Error).message);
  }
  if (raw?.v !== LINK_BLOCK_FORMAT || typeof raw.names !== 'string') throw corrupt(where, 'not a link block of this meshfold');
  const names = raw.names.split('\n');
  const block = { names, events: column(raw.events, 3, where), links: column(raw.links, 4, where), hosts: column(raw.hosts, 4, where) };
  const within = (column: Uint32Array, width: number, check: (row: number) => boolean) => {
    for (let i = 0; i < column.length; i += width) if (!check(i)) throw corrupt(where, `row ${i / width} names what the block does not hold`);
  };
  within(block.events, 3, (i) => block.events[i + 1]! <= WORKLOAD_ENTRY && block.events[i + 2]! < names.length);
  for (const changes of [block.links, block.hosts]) within(changes, 4, (i) => changes[i + 1]! < names.length && changes[i + 2]! < names.length && changes[i + 3]! <= 1);
  return block;
}

function bytesOf(column: Uint32Array): Uint8Array {
  return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
}

/** Little-endian on every platform Node runs on that matters here; copied, so alignment never bites. */
function column(raw: unknown, width: number, where: string): Uint32Array {
  if (!(raw instanceof Uint8Array) || raw.byteLength % (4 * width)) throw corrupt(where, 'a column is not whole rows of integers');
  const out = new Uint32Array(raw.byteLength / 4);
  new Uint8Array(out.buffer).set(raw);
  return out;
}

function corrupt(where: string, why: string): MeshfoldError {
  return new MeshfoldError('STORE_CORRUPT_VALUE', `${where}: ${why}`);
}
