import { test } from 'uvu';
import * as assert from 'uvu/assert';
// The README snippet's imports, as printed there.
import { from } from 'rxjs';
import { project, selectedBy, toClusterLoadAssignment, type ClusterLoadAssignment, type WatchEvent } from '@meshfold/core';
import { EventLog, loadState, ProjectedLog, stateAt } from '@meshfold/store';

const orders: WatchEvent['object'] = {
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'orders', namespace: 'shop' },
  spec: { hosts: ['orders.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'orders' } } },
};
const vm = (name: string, address: string): WatchEvent['object'] => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'shop' },
  spec: { address, ports: { http: 8080 }, labels: { app: 'orders' } },
});

test('the README embedding snippet resumes from a log, pushes whole clusters and answers "selected at noon"', async () => {
  const log = await EventLog.openMemory();
  await (await ProjectedLog.open(log)).record([
    { type: 'ADDED', object: orders, time: '2024-05-01T11:00:00Z' },
    { type: 'ADDED', object: vm('vm-1', '10.0.0.1'), time: '2024-05-01T12:00:00Z' },
  ]);
  // The stream goes on where the log ends: vm-1, which only the log knows, is deleted.
  const watchEvents: WatchEvent[] = [{ type: 'DELETED', object: vm('vm-1', '10.0.0.1') }, { type: 'ADDED', object: vm('vm-2', '10.0.0.2') }];
  const pushed: ClusterLoadAssignment[] = [];
  const eds = { push: (assignment: ClusterLoadAssignment) => pushed.push(assignment) };
  const logged: string[] = [];
  const console = { log: (...values: unknown[]) => logged.push(values.map(String).join(' ')), warn: (m: string) => logged.push(`warn ${m}`) };

  // ---- the README snippet, as printed there (scripts/test/readmeEmbedding.test.ts checks) ----
  // Resume from the log (or start empty: project() without `from`), then follow the stream.
  const resumed = await loadState(log, log.lastSeq);
  from(watchEvents)                                   // {type: 'ADDED'|'MODIFIED'|'DELETED', object}
    .pipe(project({ from: () => resumed, onRejected: (e) => console.warn(e.message) }))
    .subscribe(({ seq, clusters, deltas }) => {
      // Each outbound|port||host cluster the event moved, merged across namespaces: push it whole.
      for (const cluster of clusters) eds.push(toClusterLoadAssignment(cluster));
      for (const d of deltas) if (d.type.startsWith('association')) console.log(seq, d.type);
    });

  // Which WorkloadEntries did ServiceEntry shop/orders select at noon?
  const noon = await stateAt(log, '2024-05-01T12:00:00Z');
  console.log(selectedBy(noon.state, 'shop/orders').map((we) => we.name));
  // ---- end of the snippet ----

  await log.close();
  assert.equal(pushed.map((a) => [a.clusterName, a.endpoints.flatMap((l) => l.lbEndpoints).length]),
    [['outbound|80||orders.example.com', 0], ['outbound|80||orders.example.com', 1]]);
  assert.equal(logged, ['3 association-removed', '4 association-added', 'vm-1']);
});

test.run();
