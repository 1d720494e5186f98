import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, cliOk, DEMO_STREAM, MESHFOLD_BIN, recordSummary, runCli, tempDir, watchStream } from './support/cli.js';
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

for (const follow of [false, true]) {
  test(`serve${follow ? ' --follow' : ''} on a nats:// log answers with what another process recorded after it started`, async () => {
    const log = `${server.url}/serve-${randomUUID().slice(0, 8)}`;
    const first = recordSummary((await cliOk(['record', '--log', log, DEMO_STREAM])).stdout).count;
    const dir = await tempDir();
    const serve = spawn(process.execPath, [MESHFOLD_BIN, 'serve', '--log', log, '--port', '0', ...(follow ? ['--follow'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: serve.stdout! }).on('line', (line) => {
          const address = /^meshfold inspector at (\S+?);?\s/.exec(line)?.[1];
          if (address !== undefined) resolve(address);
        });
        serve.once('exit', (code) => reject(new Error(`serve exited ${code} before printing its address`)));
      });
      const get = async <T>(path: string) => (await (await fetch(new URL(path, url))).json()) as T;
      assert.is((await get<{ lastSeq: number }>('api/summary')).lastSeq, first);
      const more = await dir.write('more.json', watchStream([{ type: 'ADDED', object: {
        apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'late-we', namespace: 'default' },
        spec: { address: '10.9.9.9', labels: { app: 'late' } },
      } }]));
      await cliOk(['record', '--log', log, more]);
      assert.is((await get<{ lastSeq: number }>('api/summary')).lastSeq, first + 1);
      assert.is((await get<{ seq: number }>('api/endpoints')).seq, first + 1);
    } finally {
      serve.kill('SIGTERM');
      if (serve.exitCode === null) await once(serve, 'exit');
      await dir.remove();
    }
  });
}

test.run();
