import { from } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { project, type EndpointRecord, type WatchEvent } from '../src/index.js';

const se: WatchEvent['object'] = {
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'test-se', namespace: 'default' },
  spec: { hosts: ['www.test.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'test' } } },
};
const we = (app: string): WatchEvent['object'] => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'test-we', namespace: 'default' },
  spec: { address: '8.8.8.8', ports: { http: 8080 }, labels: { app } },
});

test('the README embedding snippet pushes EDS shards and logs the other deltas', async () => {
  const watchEvents: WatchEvent[] = [
    { type: 'ADDED', object: se }, { type: 'ADDED', object: we('test') },
    { type: 'MODIFIED', object: we('test') }, { type: 'MODIFIED', object: we('other') },
  ];
  const pushes: string[] = [];
  const logged: string[] = [];
  const pushEds = (host: string, namespace: string, endpoints: readonly EndpointRecord[]) =>
    pushes.push(`${host}/${namespace}: ${endpoints.map((e) => `${e.address}:${e.port}`).join(',')}`);
  const console = { log: (seq: number, type: string) => logged.push(`${seq} ${type}`), warn: (m: string) => logged.push(m) };

  // ---- the README snippet, as printed there ----
  await new Promise<void>((done) => from(watchEvents)
    .pipe(project({ onRejected: (e) => console.warn(e.message) }))
    .subscribe({
      next: ({ seq, deltas }) => {
        for (const d of deltas) {
          if (d.type === 'shard-replaced') pushEds(d.host, d.namespace, d.endpoints); // full new list
          else console.log(seq, d.type);
        }
      },
      complete: done,
    }));

  assert.equal(pushes, ['www.test.com/default: 8.8.8.8:8080', 'www.test.com/default: ']);
  // seq 3 re-sends the same object: nothing is emitted for it.
  assert.equal(logged, ['1 service-added', '2 association-added', '4 association-removed']);
});

test.run();
