import { MeshfoldError } from '@meshfold/core';
import { Packr } from 'msgpackr';
import { checksum } from './checksum.js';

/**
 * The value format this code writes: a version byte (2), the CRC-32 of the msgpack body (4 bytes,
 * big-endian), then the body. Version 1 (a version byte, then msgpack, no checksum) is still read:
 * such a value is decoded as before but nothing can tell whether its bytes changed.
 */
export const FORMAT_VERSION = 2;
/** Values written before checksums; read, reported as unchecked by `verify`. */
export const UNCHECKED_FORMAT_VERSION = 1;
const HEADER_BYTES = 5;

/**
 * Records are off: msgpackr records refer to structures that would have to be shared by
 * every process that ever reads the log. Plain msgpack maps keep each value self-contained.
 * Map sizes are variable: msgpackr's fast path writes every map with a 16-bit size and fails on
 * a map of 65 536 entries or more, which a valid object (its labels) may have.
 */
const packr = new Packr({ useRecords: false, variableMapSize: true });

/** Where a value lives, so that a value that does not decode is an error naming its place. */
export interface ValueOrigin {
  keyspace: 'events' | 'snapshots';
  seq: number;
}

/** Shared: every caller copies it before the next call. */
const header = new Uint8Array(HEADER_BYTES);
const headerView = new DataView(header.buffer);

/** The bytes a value stores before `body`: the format version and the body's checksum. */
export function valueHeader(body: Uint8Array): Uint8Array {
  header[0] = FORMAT_VERSION;
  headerView.setUint32(1, checksum(body));
  return header;
}

export function encodeValue(value: unknown): Uint8Array {
  const body = packValue(value);
  const bytes = new Uint8Array(body.length + HEADER_BYTES);
  bytes.set(valueHeader(body), 0);
  bytes.set(body, HEADER_BYTES);
  return bytes;
}

/** Whether a stored value carries a checksum (format 2), i.e. whether decoding it proves it intact. */
export function isChecksummed(bytes: Uint8Array): boolean {
  return bytes[0] === FORMAT_VERSION;
}

/** The msgpack body of a value, in msgpackr's own buffer: copy it before the next pack. */
export function packValue(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Throws STORE_UNKNOWN_FORMAT or STORE_CORRUPT_VALUE naming the origin; never guesses. */
export function decodeValue(bytes: Uint8Array, origin: ValueOrigin): unknown {
  if (bytes.length === 0) throw corruptValue(origin, 'the value is empty');
  if (bytes[0] === FORMAT_VERSION) return unpack(checkedBody(bytes, origin), origin);
  if (bytes[0] === UNCHECKED_FORMAT_VERSION) return unpack(bytes.subarray(1), origin);
  throw unknownFormat(origin, bytes[0]!);
}

function checkedBody(bytes: Uint8Array, origin: ValueOrigin): Uint8Array {
  if (bytes.length < HEADER_BYTES) throw corruptValue(origin, `${bytes.length} bytes is too short for a checksummed value`);
  const body = bytes.subarray(HEADER_BYTES);
  const stored = ((bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!) >>> 0;
  const actual = checksum(body);
  if (stored !== actual) {
    throw corruptValue(origin, `checksum mismatch (stored ${hex(stored)}, the bytes give ${hex(actual)}): the value changed after it was written`);
  }
  return body;
}

function unpack(body: Uint8Array, origin: ValueOrigin): unknown {
  try {
    return packr.unpack(body);
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
    `${describe(origin)}: unknown value format version ${version} (this build reads ${UNCHECKED_FORMAT_VERSION} and ${FORMAT_VERSION})`,
    { ...origin, version },
  );
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function describe({ keyspace, seq }: ValueOrigin): string {
  return `${keyspace === 'events' ? 'event' : 'snapshot'} at seq ${seq}`;
}
