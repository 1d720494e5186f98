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
export const LINK_BLOCK_FORMAT = 3;
const packr = new Packr({ useRecords: false });

/**
 * Columns are stored 16 bits wide when every integer of the block fits (`w: 2`), as almost every
 * block's do (its seq offsets and name numbers are small), else 32 (`w: 4`): half the bytes to
 * write and to read back.
 */
export function encodeLinkBlock(block: LinkBlock): Uint8Array {
  const narrow = [block.events, block.links, block.hosts].every((c) => c.every((n) => n <= 0xffff));
  const stored = (c: Uint32Array) => bytesOf(narrow ? Uint16Array.from(c) : c);
  return packr.pack({ v: LINK_BLOCK_FORMAT, w: narrow ? 2 : 4, names: block.names.join('\n'), events: stored(block.events), links: stored(block.links), hosts: stored(block.hosts) });
}

/** Checks everything a reader indexes by: a block that fails is `STORE_CORRUPT_VALUE`, never a wrong history. */
export function decodeLinkBlock(value: Uint8Array, where: string): LinkBlock {
  let raw: { v?: unknown; w?: unknown; names?: unknown; events?: unknown; links?: unknown; hosts?: unknown };
  try {
    raw = packr.unpack(value) as typeof raw;
  } catch (err) {
    throw corrupt(where, (err as Error).message);
  }
  if (raw?.v !== LINK_BLOCK_FORMAT || typeof raw.names !== 'string' || (raw.w !== 2 && raw.w !== 4)) throw corrupt(where, 'not a link block of this meshfold');
  const names = raw.names.split('\n');
  const bytes = raw.w;
  const block = { names, events: column(raw.events, 3, bytes, where), links: column(raw.links, 4, bytes, where), hosts: column(raw.hosts, 4, bytes, where) };
  const within = (column: Uint32Array, width: number, check: (row: number) => boolean) => {
    for (let i = 0; i < column.length; i += width) if (!check(i)) throw corrupt(where, `row ${i / width} names what the block does not hold`);
  };
  within(block.events, 3, (i) => block.events[i + 1]! <= WORKLOAD_ENTRY && block.events[i + 2]! < names.length);
  for (const changes of [block.links, block.hosts]) within(changes, 4, (i) => changes[i + 1]! < names.length && changes[i + 2]! < names.length && changes[i + 3]! <= 1);
  return block;
}

function bytesOf(column: Uint16Array | Uint32Array): Uint8Array {
  return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
}

/** Little-endian on every platform Node runs on that matters here; copied, so alignment never bites. */
function column(raw: unknown, width: number, bytes: 2 | 4, where: string): Uint32Array {
  if (!(raw instanceof Uint8Array) || raw.byteLength % (bytes * width)) throw corrupt(where, 'a column is not whole rows of integers');
  const stored = bytes === 2 ? new Uint16Array(raw.byteLength / 2) : new Uint32Array(raw.byteLength / 4);
  new Uint8Array(stored.buffer).set(raw);
  return stored instanceof Uint32Array ? stored : Uint32Array.from(stored);
}

function corrupt(where: string, why: string): MeshfoldError {
  return new MeshfoldError('STORE_CORRUPT_VALUE', `${where}: ${why}`);
}
