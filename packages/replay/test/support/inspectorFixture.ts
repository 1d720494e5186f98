/**
 * For the inspector tests: the demo log on disk, the CLI run in-process with its output captured
 * (its `-o json` is what the API must equal), and a minimal Server-Sent Events client.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInput, type WatchEvent } from '@meshfold/core';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/io/Io.js';

// Compiled to dist/test/support: the repository root is five levels up.
export const DEMO_STREAM = fileURLToPath(new URL('../../../../../scripts/demo/demo-stream.json', import.meta.url));

const made: string[] = [];

/** A fresh temp directory, removed by `removeTempPaths` unless kept (a screenshot to look at). */
export async function tempPath(prefix: string, options: { keep?: boolean } = {}): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  if (!options.keep) made.push(path);
  return path;
}

export async function removeTempPaths(): Promise<void> {
  await Promise.all(made.splice(0).map((path) => rm(path, { recursive: true, force: true })));
}

/** `meshfold ...args` in this process; stdin is empty. */
export async function runMain(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, interactive: false, stdin: (async function* () {})() };
  const code = await main(args, io);
  return { code, out, err };
}

/** `meshfold ...args -o json` (unless args choose another JSON output), parsed; fails unless it exits 0. */
export async function cliJson(args: readonly string[]): Promise<unknown> {
  const r = await runMain(args.includes('-o') ? args : [...args, '-o', 'json']);
  assert.is(r.code, 0, `meshfold ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
}

/** Records the demo stream (11 events; the istio#25678 relabel at seq 8) into a new log dir. */
export async function recordDemo(): Promise<string> {
  const dir = join(await tempPath('meshfold-serve-'), 'log');
  const r = await runMain(['record', '--log', dir, DEMO_STREAM]);
  assert.is(r.code, 0, r.err);
  return dir;
}

export async function demoEvents(): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for await (const item of readInput(createReadStream(DEMO_STREAM), { source: 'demo' })) events.push(item.event as WatchEvent);
  return events;
}

export interface SseMessage { id?: string; event: string; data: string }

export interface SseClient {
  readonly response: IncomingMessage;
  /** The next message (comments skipped); fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const queue: SseMessage[] = [];
      const waiting: ((m: SseMessage) => void)[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = parseMessage(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (!message) continue;
          const waiter = waiting.shift();
          if (waiter) waiter(message);
          else queue.push(message);
        }
      });
      resolve({
        response,
        next: (timeoutMs = 5000) => {
          const queued = queue.shift();
          if (queued) return Promise.resolve(queued);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no SSE message within ${timeoutMs} ms`)), timeoutMs);
            waiting.push((m) => { clearTimeout(timer); ok(m); });
          });
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

function parseMessage(block: string): SseMessage | undefined {
  const message: SseMessage = { event: 'message', data: '' };
  let fields = 0;
  for (const line of block.split('\n')) {
    const m = /^([a-z]+): ?(.*)$/.exec(line);
    if (!m) continue; // comments (`: keep-alive`) and blank lines
    fields++;
    if (m[1] === 'id') message.id = m[2]!;
    else if (m[1] === 'event') message.event = m[2]!;
    else if (m[1] === 'data') message.data += m[2]!;
  }
  return fields > 0 && message.data !== '' ? message : undefined;
}
