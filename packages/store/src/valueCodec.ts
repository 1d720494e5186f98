import { MeshfoldError } from '@meshfold/core';
import { Packr } from 'msgpackr';

/** The one value format this code writes and reads: a version byte, then msgpack. */
export const FORMAT_VERSION = 1;

/**
 * Records are off: msgpackr records refer to structures that would have to be shared by
 * every process that ever reads the log. Plain msgpack maps keep each value self-contained.
 */
const packr = new Packr({ useRecords: false });

/** Where a value lives, so that a value that does not decode is an error naming its place. */
export interface ValueOrigin {
  keyspace: 'events' | 'snapshots';
  seq: number;
}

/** The byte every value starts with. */
export const FORMAT_BYTE: Uint8Array = Uint8Array.of(FORMAT_VERSION);

export function encodeValue(value: unknown): Uint8Array {
  const body = packValue(value);
  const bytes = new Uint8Array(body.length + 1);
  bytes[0] = FORMAT_VERSION;
  bytes.set(body, 1);
  return bytes;
}

/** The msgpack body of a value, in msgpackr's own buffer: copy it before the next pack. */
export function packValue(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Throws STORE_UNKNOWN_FORMAT or STORE_CORRUPT_VALUE naming the origin; never guesses. */
export function decodeValue(bytes: Uint8Array, origin: ValueOrigin): unknown {
  if (bytes.length === 0) throw corruptValue(origin, 'the value is empty');
  if (bytes[0] !== FORMAT_VERSION) throw unknownFormat(origin, bytes[0]!);
  try {
    return packr.unpack(bytes.subarray(1));
  } catch (err) {
    throw corruptValue(origin, `msgpack does not decode (${(err as Error).message})`);
  }
}

export function corruptValue(origin: ValueOrigin, why: string): MeshfoldError {
  return new MeshfoldError(
    'STORE_CORRUPT_VALUE',
    `${describe(origin)}: corrupt value, ${why}`,
    { ...origin },
  );
}

function unknownFormat(origin: ValueOrigin, version: number): MeshfoldError {
  return new MeshfoldError(
    'STORE_UNKNOWN_FORMAT',
    `${describe(origin)}: unknown value format version ${version} (this build reads ${FORMAT_VERSION})`,
    { ...origin, version },
  );
}

function describe({ keyspace, seq }: ValueOrigin): string {
  return `${keyspace === 'events' ? 'event' : 'snapshot'} at seq ${seq}`;
}
