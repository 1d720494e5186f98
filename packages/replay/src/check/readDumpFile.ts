import { readFile, stat } from 'node:fs/promises';
import { MeshfoldError } from '@meshfold/core';
import { parseDump, type ProxyDump } from './readDump.js';

/** A dump file, parsed, with its modification time (the capture time when nothing in it says otherwise). */
export async function readDumpFile(file: string): Promise<{ file: string; dump: ProxyDump; time: string }> {
  let text: string;
  let time: string;
  try {
    time = (await stat(file)).mtime.toISOString();
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MeshfoldError('CLI_NOT_FOUND', `dump file ${file} does not exist`);
    throw new MeshfoldError('CHECK_UNKNOWN_DUMP', `dump file ${file} cannot be read: ${(err as Error).message}`);
  }
  return { file, dump: parseDump(text, file), time };
}
