import { readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { MeshfoldError } from '@meshfold/core';
import { checksum } from './checksum.js';
import { readUint64, writeUint64 } from './seqKey.js';

/** In the log directory, beside LevelDB's own files (LevelDB leaves names it did not make alone). */
export const ACKED_MARKER_FILE = 'meshfold-acked';

/** `mfak`, the seq (8 bytes, big-endian), the CRC-32 of those 12 bytes (4 bytes, big-endian). */
const MARKER_BYTES = 16;
const MAGIC = Uint8Array.from([0x6d, 0x66, 0x61, 0x6b]);

/**
 * The last seq the log acknowledged, kept outside LevelDB. LevelDB recovers whatever its
 * write-ahead log still holds and silently drops a truncated or damaged tail, so the log alone
 * cannot tell that it lost events. The marker is written only after an append's batch has
 * resolved, so a killed writer leaves it behind the log, never ahead: a log that ends before the
 * marker lost acknowledged events.
 */
export class AckedSeqMarker {
  /** Opens (creating) the marker of the log in `dir` for writing, and writes `seq` into it. */
  static async open(dir: string, seq: number, sync: boolean): Promise<AckedSeqMarker> {
    const path = join(dir, ACKED_MARKER_FILE);
    const handle = await open(path, 'r+').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return open(path, 'w+');
      throw err;
    });
    const marker = new AckedSeqMarker(handle, sync);
    try {
      await handle.truncate(MARKER_BYTES);
      await marker.write(seq);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return marker;
  }

  readonly #handle: FileHandle;
  readonly #sync: boolean;
  readonly #bytes = new Uint8Array(MARKER_BYTES);

  private constructor(handle: FileHandle, sync: boolean) {
    this.#handle = handle;
    this.#sync = sync;
    this.#bytes.set(MAGIC, 0);
  }

  /** Overwrites the marker in place: one 16-byte write at offset 0, synced when the log is. */
  async write(seq: number): Promise<void> {
    writeUint64(this.#bytes, 4, seq);
    const crc = checksum(this.#bytes.subarray(0, 12));
    new DataView(this.#bytes.buffer).setUint32(12, crc);
    await this.#handle.write(this.#bytes, 0, MARKER_BYTES, 0);
    if (this.#sync) await this.#handle.datasync();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

/**
 * The acknowledged last seq of the log in `dir`, or undefined when it has no marker (a log
 * written before markers existed, or opened for writing but killed before the first write).
 * A marker that is not one is STORE_CORRUPT_DATABASE: nothing can then vouch for the log's length.
 */
export function readAckedSeq(dir: string, name: string): number | undefined {
  const path = join(dir, ACKED_MARKER_FILE);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MeshfoldError('STORE_IO', `${name}: open: cannot read ${path} (${(err as Error).message})`);
  }
  if (bytes.length === 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const valid = bytes.length === MARKER_BYTES
    && MAGIC.every((b, i) => bytes[i] === b)
    && view.getUint32(12) === checksum(bytes.subarray(0, 12));
  if (!valid) {
    throw new MeshfoldError(
      'STORE_CORRUPT_DATABASE',
      `${name}: open: the acknowledged-seq marker ${path} is damaged, so the log's length cannot be checked (remove it to open the log without that check)`,
    );
  }
  return readUint64(bytes, 4);
}
