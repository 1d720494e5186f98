import { MeshfoldError } from '@meshfold/core';
import type { Keyspaces } from './keyspaces.js';
import { missingEvents } from './missingEvents.js';
import { SEQ_KEY_BYTES, readUint64, seqOfKey } from './seqKey.js';
import { FORMAT_VERSION, UNCHECKED_FORMAT_VERSION } from './valueCodec.js';

export const FORMAT_KEY = 'format';
export const LAST_SEQ_KEY = 'lastSeq';

/** What a log needs to know about itself to append after a restart. */
export interface RecoveredMeta {
  lastSeq: number;
  /** Epoch ms of the newest time index entry, the floor for the next append's time. */
  lastEpochMs: number;
}

/**
 * Checks the format version (stamping it on a log that has no events yet, unless read-only) and recovers
 * the last seq. The stored last seq is cross-checked against the last event key: a batch
 * writes both, so any disagreement means the log was damaged outside meshfold. Both are checked
 * against the acknowledged last seq kept outside LevelDB, when there is one.
 */
/** The last seq the log acknowledged, as kept outside LevelDB (see AckedSeqMarker). */
export interface AckedSeq {
  seq: number;
  /** The marker's path, named in the error. */
  path: string;
}

export async function recoverMeta(
  keyspaces: Keyspaces,
  name: string,
  { readOnly = false, acked }: { readOnly?: boolean; acked?: AckedSeq | undefined } = {},
): Promise<RecoveredMeta> {
  const lastEventSeq = await lastKeyNumber(keyspaces.events);
  // First, and before anything is stamped: LevelDB drops a damaged or truncated write-ahead log
  // tail without a word, taking the events and the stored last seq of those batches with it.
  if (acked && lastEventSeq < acked.seq) {
    throw missingEvents(lastEventSeq + 1, acked.seq, `${name}: open`,
      `the log ends at seq ${lastEventSeq} but acknowledged seq ${acked.seq}, per ${acked.path}; remove that file to use the log without them`);
  }
  await checkFormat(keyspaces, name, lastEventSeq === 0, readOnly);
  const lastSeq = await storedLastSeq(keyspaces, name);
  if (lastEventSeq < lastSeq) {
    throw missingEvents(lastEventSeq + 1, lastSeq, `${name}: open`, `the last event is seq ${lastEventSeq}, the log's meta says ${lastSeq}`);
  }
  if (lastEventSeq > lastSeq) {
    throw new MeshfoldError('STORE_CORRUPT_VALUE', `${name}: meta lastSeq is ${lastSeq} but event seq ${lastEventSeq} exists`, {
      seq: lastEventSeq,
    });
  }
  return { lastSeq, lastEpochMs: await lastKeyNumber(keyspaces.time) };
}

async function checkFormat({ meta }: Keyspaces, name: string, empty: boolean, readOnly: boolean): Promise<void> {
  const stored = await meta.get(FORMAT_KEY);
  if (stored === undefined && empty) {
    // A reader of an empty log leaves the stamp to the first writer.
    if (!readOnly) await meta.put(FORMAT_KEY, Uint8Array.of(FORMAT_VERSION));
    return;
  }
  if (stored?.length === 1 && stored[0] === FORMAT_VERSION) return;
  if (stored?.length === 1 && stored[0] === UNCHECKED_FORMAT_VERSION) {
    // Its old values stay readable; the stamp says the log may now hold checksummed ones too,
    // so a build that cannot read those refuses the log at open instead of at the first such seq.
    if (!readOnly) await meta.put(FORMAT_KEY, Uint8Array.of(FORMAT_VERSION));
    return;
  }
  const found = stored === undefined ? 'none' : Array.from(stored).join(',');
  throw new MeshfoldError(
    'STORE_UNKNOWN_FORMAT',
    `${name}: log format version ${found} is not supported (this build reads ${UNCHECKED_FORMAT_VERSION} and ${FORMAT_VERSION})`,
    { version: found },
  );
}

async function storedLastSeq({ meta }: Keyspaces, name: string): Promise<number> {
  const stored = await meta.get(LAST_SEQ_KEY);
  if (stored === undefined) return 0;
  if (stored.length !== SEQ_KEY_BYTES) {
    throw new MeshfoldError('STORE_CORRUPT_VALUE', `${name}: meta lastSeq is ${stored.length} bytes, expected ${SEQ_KEY_BYTES}`);
  }
  return seqOfKey(stored);
}

/** The big-endian number at the start of the highest key, or 0 when the keyspace is empty. */
async function lastKeyNumber(keyspace: Keyspaces['events']): Promise<number> {
  const [key] = await keyspace.keys({ reverse: true, limit: 1 }).all();
  return key === undefined ? 0 : readUint64(key, 0);
}
