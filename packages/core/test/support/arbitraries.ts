import fc from 'fast-check';
import type { WatchEvent } from '../../src/index.js';

/**
 * Random watch streams over a small world (2 namespaces, 3 ServiceEntries, 4 WorkloadEntries,
 * 2 shared hosts) so that collisions — shared shards, relabels, re-adds, stale deletes — are common.
 */
const namespaces = ['a', 'b'] as const;
const hosts = ['h1.example.com', 'h2.example.com'] as const;
const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', 'vm.example.com', 'unix:///var/run/app.sock'] as const;

const labelSet = fc.record(
  { app: fc.constantFrom('x', 'y'), ver: fc.constantFrom('1', '2') },
  { requiredKeys: [] },
);

const port = fc.constantFrom(
  { number: 80, name: 'http', protocol: 'HTTP' },
  { number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 },
  { number: 443, name: 'https', protocol: 'HTTPS' },
  { number: 9000, name: 'grpc', protocol: 'GRPC', targetPort: 9090 },
);

const portMap = fc.option(
  fc.record({ http: fc.constantFrom(8081, 8082), https: fc.constantFrom(8443) }, { requiredKeys: [] }),
  { nil: undefined },
);

const inlineEndpoint = fc.record({
  address: fc.constantFrom('10.0.1.1', '10.0.1.2', '10.0.1.1'),
  ports: portMap,
  labels: labelSet,
}, { requiredKeys: ['address'] });

const serviceEntrySpec = fc.record({
  hosts: fc.subarray([...hosts], { minLength: 1 }),
  ports: fc.uniqueArray(port, { minLength: 1, maxLength: 2, selector: (p) => p.name }),
  resolution: fc.constantFrom('STATIC', 'DNS', 'NONE'),
  body: fc.oneof(
    fc.record({ workloadSelector: fc.record({ labels: labelSet }) }),
    fc.record({ endpoints: fc.array(inlineEndpoint, { minLength: 1, maxLength: 3 }) }),
    fc.constant({}),
  ),
}).map(({ body, ...spec }) => {
  // NONE may not carry inline endpoints; keep those objects valid and test invalid ones explicitly.
  const resolution = spec.resolution === 'NONE' && 'endpoints' in body ? 'STATIC' : spec.resolution;
  return { ...spec, ...body, resolution };
});

const workloadEntrySpec = fc.record({
  address: fc.constantFrom(...addresses),
  ports: portMap,
  labels: labelSet,
  serviceAccount: fc.constantFrom('sa1'),
  weight: fc.constantFrom(1, 5),
}, { requiredKeys: ['address'] }).map((spec) =>
  // unix:// workloads may not declare ports (validation rule); drop them rather than reject.
  (spec.address.startsWith('unix://') ? { ...spec, ports: undefined } : spec));

const meta = (name: string, namespace: string, labels?: Record<string, string>) =>
  ({ name, namespace, ...(labels && { labels }) });

const serviceEntry = fc.record({
  name: fc.constantFrom('s1', 's2', 's3'), namespace: fc.constantFrom(...namespaces), spec: serviceEntrySpec,
}).map(({ name, namespace, spec }) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta(name, namespace), spec,
}));

const workloadEntry = fc.record({
  name: fc.constantFrom('w1', 'w2', 'w3', 'w4'), namespace: fc.constantFrom(...namespaces),
  spec: workloadEntrySpec, metaLabels: fc.option(labelSet, { nil: undefined }),
}).map(({ name, namespace, spec, metaLabels }) => ({
  apiVersion: 'networking.istio.io/v1beta1', kind: 'WorkloadEntry', metadata: meta(name, namespace, metaLabels), spec,
}));

/** Objects Istio's webhook would reject: the fold must refuse them whole. */
const invalidObject = fc.constantFrom(
  {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta('s1', 'a'),
    spec: { hosts: ['h1.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC',
      workloadSelector: { labels: { app: 'x' } }, endpoints: [{ address: '10.0.1.1' }] },
  },
  {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta('s2', 'a'),
    spec: { hosts: ['h1.example.com'], ports: [{ number: 80, name: 'http' }, { number: 80, name: 'web' }] },
  },
  {
    apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: meta('w1', 'a'),
    spec: { address: '10.0.0.1', ports: { http: 70000 } },
  },
);

export const watchEvent: fc.Arbitrary<WatchEvent> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constantFrom('ADDED', 'MODIFIED'), object: fc.oneof(serviceEntry, workloadEntry) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('DELETED'), object: fc.oneof(serviceEntry, workloadEntry) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('ADDED', 'MODIFIED'), object: invalidObject }) },
) as fc.Arbitrary<WatchEvent>;

export const watchStream = (maxLength = 40) => fc.array(watchEvent, { minLength: 1, maxLength });
