import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  endpointsOf, Projector, type PortRecord, type ServiceEntry, type ServiceEntrySpec, type WorkloadEntry, type WorkloadEntrySpec, type WorkloadRecord,
} from '../src/index.js';
import { endpointPort } from '../src/internal/endpointPort.js';
import { toRecord } from '../src/internal/toRecord.js';

const serviceEntry = (spec: ServiceEntrySpec): ServiceEntry =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'orders', namespace: 'shop' }, spec });
const workloadEntry = (name: string, spec: WorkloadEntrySpec): WorkloadEntry =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'shop' }, spec });

/** Port `http` 80 with targetPort 9090, and port `https` 443 without one. */
const se = toRecord(serviceEntry({
  hosts: ['orders.shop.internal'],
  ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 9090 }, { number: 443, name: 'https', protocol: 'HTTPS' }],
  resolution: 'STATIC',
  workloadSelector: { labels: { app: 'orders' } },
}));
if (se.kind !== 'ServiceEntry') throw new Error('expected a ServiceEntry record');
const [http, https] = se.ports as [PortRecord, PortRecord];
const workload = (spec: WorkloadEntrySpec): WorkloadRecord =>
  toRecord(workloadEntry('vm', { labels: { app: 'orders' }, ...spec })) as WorkloadRecord;

test('a unix:// workload gets port 0, whatever targetPort and number say', () => {
  const w = workload({ address: 'unix:///var/run/orders.sock' });
  assert.is(endpointPort(http, w), 0);
  assert.is(endpointPort(https, w), 0);
});

test('ports[name] > 0 wins over targetPort', () => {
  assert.is(endpointPort(http, workload({ address: '10.0.0.1', ports: { http: 8080 } })), 8080);
});

test('ports[name] > 0 wins over number', () => {
  assert.is(endpointPort(https, workload({ address: '10.0.0.1', ports: { https: 8443 } })), 8443);
});

test('targetPort > 0 is next when the workload has no ports map', () => {
  assert.is(endpointPort(http, workload({ address: '10.0.0.1' })), 9090);
});

test('number is last: no ports map and no targetPort', () => {
  assert.is(endpointPort(https, workload({ address: '10.0.0.1' })), 443);
});

test('a ports map that omits this port name falls to targetPort, then number', () => {
  const w = workload({ address: '10.0.0.1', ports: { admin: 15000 } });
  assert.is(endpointPort(http, w), 9090);
  assert.is(endpointPort(https, w), 443);
});

test('ports[name] = 0 is treated as unset', () => {
  // Validation rejects a 0 port value on the wire, so the record is derived from a valid one.
  const valid = workload({ address: '10.0.0.1', ports: { http: 8080, https: 8443 } });
  const zeroed: WorkloadRecord = { ...valid, ports: { http: 0, https: 0 } };
  assert.is(endpointPort(http, zeroed), 9090);
  assert.is(endpointPort(https, zeroed), 443);
});

test('an inline endpoint follows the same rule as a WorkloadEntry', () => {
  const inline = toRecord(serviceEntry({
    hosts: ['orders.shop.internal'],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 9090 }],
    resolution: 'STATIC',
    endpoints: [{ address: '10.0.0.1', ports: { http: 8080 } }, { address: '10.0.0.2' }],
  }));
  if (inline.kind !== 'ServiceEntry') throw new Error('expected a ServiceEntry record');
  const [mapped, unmapped] = inline.endpoints as [WorkloadRecord, WorkloadRecord];
  assert.is(endpointPort(inline.ports[0]!, mapped), 8080);
  assert.is(endpointPort(inline.ports[0]!, unmapped), 9090);
});

test('every ServiceEntry port yields an endpoint, each with its own port', () => {
  const p = new Projector();
  p.apply({ type: 'ADDED', object: workloadEntry('vm', { address: '10.0.0.1', ports: { http: 8080 }, labels: { app: 'orders' } }) });
  p.apply({ type: 'ADDED', object: serviceEntry({
    hosts: ['orders.shop.internal'],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 9090 }, { number: 443, name: 'https', protocol: 'HTTPS' }],
    resolution: 'STATIC',
    workloadSelector: { labels: { app: 'orders' } },
  }) });
  assert.equal(endpointsOf(p.state).map((e) => [e.servicePort, e.portName, e.port]), [[80, 'http', 8080], [443, 'https', 443]]);
});

test('a unix:// endpoint has the socket path as address and port 0', () => {
  const p = new Projector();
  p.apply({ type: 'ADDED', object: workloadEntry('uds', { address: 'unix:///var/run/orders.sock', labels: { app: 'orders' } }) });
  p.apply({ type: 'ADDED', object: serviceEntry({
    hosts: ['orders.shop.internal'],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 9090 }],
    resolution: 'DNS',
    workloadSelector: { labels: { app: 'orders' } },
  }) });
  assert.equal(endpointsOf(p.state).map((e) => [e.address, e.port]), [['/var/run/orders.sock', 0]]);
});

test.run();
