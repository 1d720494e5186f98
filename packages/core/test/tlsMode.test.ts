import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  endpointsOf, Projector, type ServiceEntry, type ServiceEntrySpec, type WorkloadEntry, type WorkloadEntrySpec, type WorkloadRecord,
} from '../src/index.js';
import { TLS_MODE_LABEL } from '../src/internal/labels.js';
import { tlsMode } from '../src/internal/tlsMode.js';
import { toRecord } from '../src/internal/toRecord.js';

const workloadEntry = (spec: WorkloadEntrySpec, metadataLabels?: Record<string, string>): WorkloadEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry',
  metadata: { name: 'vm', namespace: 'shop', ...(metadataLabels && { labels: metadataLabels }) },
  spec: { address: '10.0.0.1', ...spec },
});
const serviceEntry = (spec: Partial<ServiceEntrySpec>): ServiceEntry => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'orders', namespace: 'shop' },
  spec: { hosts: ['orders.shop.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', ...spec },
});
const record = (spec: WorkloadEntrySpec, metadataLabels?: Record<string, string>): WorkloadRecord =>
  toRecord(workloadEntry(spec, metadataLabels)) as WorkloadRecord;

test('the tlsMode label wins over a serviceAccount', () => {
  assert.is(tlsMode(record({ serviceAccount: 'orders', labels: { [TLS_MODE_LABEL]: 'disabled' } })), 'disabled');
});

test('the tlsMode label is taken verbatim, whatever its value', () => {
  assert.is(tlsMode(record({ labels: { [TLS_MODE_LABEL]: 'custom' } })), 'custom');
});

test('the tlsMode label counts from metadata labels too', () => {
  assert.is(tlsMode(record({ serviceAccount: 'orders' }, { [TLS_MODE_LABEL]: 'disabled' })), 'disabled');
});

test('a serviceAccount without the label gives istio', () => {
  assert.is(tlsMode(record({ serviceAccount: 'orders' })), 'istio');
});

test('neither label nor serviceAccount gives disabled', () => {
  assert.is(tlsMode(record({})), 'disabled');
});

function endpointOf(spec: WorkloadEntrySpec): { serviceAccount: string; tlsMode: string } {
  const p = new Projector();
  p.apply({ type: 'ADDED', object: serviceEntry({ workloadSelector: { labels: { app: 'orders' } } }) });
  p.apply({ type: 'ADDED', object: workloadEntry({ labels: { app: 'orders' }, ...spec }) });
  const [endpoint, ...rest] = endpointsOf(p.state);
  assert.is(rest.length, 0);
  assert.ok(endpoint);
  return { serviceAccount: endpoint.serviceAccount, tlsMode: endpoint.tlsMode };
}

test('a serviceAccount becomes spiffe://cluster.local/ns/<ns>/sa/<sa> in the endpoint, with tlsMode istio', () => {
  assert.equal(endpointOf({ serviceAccount: 'orders-sa' }), { serviceAccount: 'spiffe://cluster.local/ns/shop/sa/orders-sa', tlsMode: 'istio' });
});

test('without a serviceAccount the endpoint has serviceAccount "" and tlsMode disabled', () => {
  assert.equal(endpointOf({}), { serviceAccount: '', tlsMode: 'disabled' });
});

test('an inline endpoint serviceAccount is scoped to the ServiceEntry namespace', () => {
  const p = new Projector();
  p.apply({ type: 'ADDED', object: serviceEntry({ endpoints: [{ address: '10.0.0.1', serviceAccount: 'ext' }] }) });
  assert.equal(endpointsOf(p.state).map((e) => [e.serviceAccount, e.tlsMode]), [['spiffe://cluster.local/ns/shop/sa/ext', 'istio']]);
});

test.run();
