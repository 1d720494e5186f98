import { isRecord } from './isRecord.js';
import type { SnapshotInput, StoredSnapshot } from './Snapshot.js';
import { corruptValue, decodeValue, encodeValue } from './valueCodec.js';

export function encodeSnapshot(seq: number, { projectorVersion, hash, state }: SnapshotInput): Uint8Array {
  return encodeValue({ seq, projectorVersion, hash, state });
}

/** Throws like `decodeValue`, and STORE_CORRUPT_VALUE when the decoded shape is not a snapshot. */
export function decodeSnapshot(bytes: Uint8Array, seq: number): StoredSnapshot {
  const origin = { keyspace: 'snapshots', seq } as const;
  const value = decodeValue(bytes, origin);
  const why = shapeProblem(value, seq);
  if (why) throw corruptValue(origin, why);
  return value as unknown as StoredSnapshot;
}

function shapeProblem(value: unknown, seq: number): string | undefined {
  if (!isRecord(value)) return 'not a snapshot object';
  if (value.seq !== seq) return `it says seq ${String(value.seq)}`;
  if (typeof value.projectorVersion !== 'string') return 'projectorVersion is not a string';
  if (typeof value.hash !== 'string') return 'hash is not a string';
  if (!('state' in value)) return 'state is missing';
  return undefined;
}
