import { crc32 } from 'node:zlib';

/**
 * CRC-32 (zlib's, native) of `bytes`: detects any flipped byte or burst up to 32 bits in a stored
 * value, which LevelDB by itself does not on reads (classic-level never asks it to verify its
 * block checksums, and a damaged write-ahead log record is dropped, not reported).
 */
export function checksum(bytes: Uint8Array): number {
  return crc32(bytes);
}
