// A slow live stream recorded without --serve: every event keeps the time it was read, so the
// log's times follow the writer's pace instead of collapsing onto the moment of one flush.
// MESHFOLD_SLOW_STREAM=EVENTS,MS sets the stream (the issue's acceptance run is 300,60000);
// `npm test` runs a short one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggedEvent } from '@meshfold/core';
import { EventLog } from '@meshfold/store';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MESHFOLD_BIN, recordSummary, tempDir } from './support/cli.js';

const [EVENTS, DURATION_MS] = (process.env.MESHFOLD_SLOW_STREAM ?? '40,2000').split(',').map(Number) as [number, number];

test(`${EVENTS} events written over ${DURATION_MS} ms to record (no --serve) get distinct times spanning the stream`, async () => {
  const dir = await tempDir('meshfold-times-');
  try {
    const log = dir.join('log');
    const child = spawn(process.execPath, [MESHFOLD_BIN, 'record', '--log', log, '--verbose', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    // The pace starts once the recorder has read the first event: events written while node
    // starts up would all be read in the same millisecond, and that is not what is measured.
    const firstRead = new Promise<void>((resolve) => { child.stderr.on('data', (b: Buffer) => { if (b.toString().includes('read ')) resolve(); }); });
    const closed = once(child, 'close');
    const write = (i: number) => child.stdin.write(`${JSON.stringify({
      type: 'ADDED',
      object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: `w${i}`, namespace: 'shop' }, spec: { address: '10.0.0.1' } },
    }, null, 4)}\n`);
    write(1);
    await firstRead;
    const start = Date.now();
    for (let i = 2; i <= EVENTS; i++) {
      // Paced against the start, so the stream lasts DURATION_MS however long each write takes.
      await sleep(Math.max(0, start + ((i - 1) * DURATION_MS) / EVENTS - Date.now()));
      write(i);
    }
    child.stdin.end();
    const [code] = await closed as [number | null];
    assert.is(code, 0);
    assert.is(recordSummary(stdout).count, EVENTS);

    const opened = await EventLog.openDir(log);
    const times: number[] = [];
    for await (const e of opened.read() as AsyncIterable<LoggedEvent>) times.push(Date.parse(e.time));
    await opened.close();
    const distinct = new Set(times).size;
    const span = times.at(-1)! - times[0]!;
    process.stderr.write(`  ${EVENTS} events over ${DURATION_MS} ms: ${distinct} distinct times, spanning ${span} ms\n`);
    // The issue's bar: at least 290 distinct times for 300 events.
    assert.ok(distinct >= Math.ceil((EVENTS * 290) / 300), `${distinct} distinct times for ${EVENTS} events`);
    const expectedSpan = (DURATION_MS * (EVENTS - 1)) / EVENTS;
    assert.ok(span >= expectedSpan * 0.9, `the times span ${span} ms, the writer took about ${expectedSpan} ms`);
  } finally {
    await dir.remove();
  }
});

test.run();
