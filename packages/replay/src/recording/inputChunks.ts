import { createReadStream } from 'node:fs';
import { MeshfoldError } from '@meshfold/core';

/**
 * Bytes read from a file at a time: each read is a round trip through libuv's thread pool, which
 * the log's writes share, and each chunk is one step of the reader; a file is read in big pieces.
 */
const FILE_CHUNK_BYTES = 1024 * 1024;

/** A `record` input: a path opened for reading, or `-` for `stdin`. */
export function openInput(file: string, stdin: AsyncIterable<Buffer | string>): AsyncIterable<Buffer | string> {
  return file === '-' ? stdin : createReadStream(file, { highWaterMark: FILE_CHUNK_BYTES });
}

/**
 * The chunks of one `record` input named `name`. A failure to open or read it — a missing file,
 * a directory, no permission, an I/O error half-way — becomes `INPUT_UNREADABLE` naming the input
 * and the byte it failed at, so the recorder can report it and go on with the next input, keeping
 * whatever was read before the failure.
 */
export async function* inputChunks(source: AsyncIterable<Buffer | string>, name: string): AsyncIterable<Buffer | string> {
  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      yield chunk;
    }
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    const where = bytes === 0 ? 'could not be read' : `could not be read past byte ${bytes}`;
    throw new MeshfoldError('INPUT_UNREADABLE', `${name}: ${where} (${reason(code, message)}); skipped`, { source: name, bytes, cause: err });
  }
}

function reason(code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': return 'permission denied';
    default: return code ? `${code}: ${message}` : message;
  }
}
