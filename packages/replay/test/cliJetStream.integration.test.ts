import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, cliOk, DEMO_STREAM, recordSummary, runCli } from './support/cli.js';
import { startNatsServer, type NatsServer } from './support/natsServer.js';

let server: NatsServer;
test.before(async () => { server = await startNatsServer(); });
test.after(async () => { await server.stop(); });

test('record into a nats:// log, then events, endpoints and verify read it from other processes', async () => {
  const log = `${server.url}/cli-${randomUUID().slice(0, 8)}`;
  const recorded = recordSummary((await cliOk(['record', '--log', log, DEMO_STREAM])).stdout);
  assert.ok(recorded.count > 0);
  const { events } = await cliJson<{ events: { seq: number }[] }>(['events', '--log', log, '-o', 'json']);
  assert.equal(events.map((e) => e.seq), Array.from({ length: recorded.count }, (_, i) => i + 1));
  const endpoints = await cliJson<{ seq: number }>(['endpoints', '--log', log, '-o', 'json']);
  assert.is(endpoints.seq, recorded.count);
  await cliOk(['verify', '--log', log]);
});

test('a query of a stream that does not exist is STORE_NOT_FOUND, and creates nothing', async () => {
  const log = `${server.url}/missing-${randomUUID().slice(0, 8)}`;
  const r = await runCli(['events', '--log', log]);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'STORE_NOT_FOUND');
});

test.run();
