// What `meshfold endpoints` prints, held against istiod's and istioctl's own rules and data:
// `-o eds` for Istio's none.yaml against istiod's golden EDS, DNS clusters in `-o cds` only,
// endpoint metadata, health-checked WorkloadEntries, and the istioctl endpoint table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cliJson, cliOk, linesOf, REPO_ROOT, runCli, tempDir, type TempDir } from './support/cli.js';

const ISTIO = join(REPO_ROOT, 'packages', 'replay', 'test', 'fixtures', 'istio');

let dir: TempDir;
let n = 0;
test.before(async () => { dir = await tempDir(); });
test.after(async () => { await dir?.remove(); });

async function recordYaml(yaml: string): Promise<string> {
  const log = dir.join(`log-${++n}`);
  await cliOk(['record', '--log', log, '-'], { stdin: yaml });
  return log;
}

interface Cla { clusterName: string; endpoints: { locality?: object; lbEndpoints: LbEndpoint[]; loadBalancingWeight: number }[] }
interface LbEndpoint {
  endpoint: { address: { socketAddress: { address: string; portValue: number } } };
  healthStatus?: string;
  metadata?: { filterMetadata: Record<string, Record<string, string>> };
  loadBalancingWeight: number;
}

/** cluster -> sorted `address:port@weight` entries and the group weights, from either shape. */
function summary(clusters: { name: string; groups: { weight: number; endpoints: [string, number, number][] }[] }[]) {
  return Object.fromEntries(clusters.map((c) => [c.name, {
    groups: c.groups.map((g) => g.weight),
    endpoints: c.groups.flatMap((g) => g.endpoints.map(([a, p, w]) => `${a}:${p}@${w}`)).sort(),
  }]));
}

test('-o eds for Istio\'s none.yaml has the clusters, addresses, ports and weights of istiod\'s golden none_eds.json', async () => {
  const log = dir.join('none');
  const r = await runCli(['record', '--log', log, join(ISTIO, 'none.yaml')]);
  // none.yaml also holds a Sidecar, a Service, Deployments and a VirtualService: skipped, with a
  // warning each, and nothing rejected.
  assert.is(r.code, 0, r.stderr);
  const rejected = linesOf(r.stderr).filter((l) => !l.startsWith('warning: INPUT_UNSUPPORTED_KIND'));
  assert.equal(rejected, []);
  assert.match(r.stdout, /; rejected 0; skipped 5$/m);
  const mine = await cliJson<Cla[]>(['endpoints', '--log', log, '-o', 'eds']);
  type GoCla = { cluster_name: string; endpoints: { load_balancing_weight: { value: number }; lb_endpoints: {
    endpoint: { address: { Address: { SocketAddress: { address: string; PortSpecifier: { PortValue: number } } } } };
    load_balancing_weight?: { value: number } }[] }[] };
  const golden = JSON.parse(readFileSync(join(ISTIO, 'none_eds.json'), 'utf8')) as Record<string, GoCla>;
  const expected = summary(Object.values(golden).map((c) => ({
    name: c.cluster_name,
    groups: c.endpoints.map((g) => ({
      weight: g.load_balancing_weight.value,
      // Istio then omitted an endpoint weight of 1; today it always sends it.
      endpoints: g.lb_endpoints.map((l): [string, number, number] => [l.endpoint.address.Address.SocketAddress.address,
        l.endpoint.address.Address.SocketAddress.PortSpecifier.PortValue, l.load_balancing_weight?.value ?? 1]),
    })),
  })));
  const actual = summary(mine.map((c) => ({
    name: c.clusterName,
    groups: c.endpoints.map((g) => ({
      weight: g.loadBalancingWeight,
      endpoints: g.lbEndpoints.map((l): [string, number, number] => [l.endpoint.address.socketAddress.address,
        l.endpoint.address.socketAddress.portValue, l.loadBalancingWeight]),
    })),
  })));
  assert.equal(actual, expected);
});

test('DNS ServiceEntries are not in -o eds but in -o cds, as STRICT_DNS and LOGICAL_DNS clusters with their hosts', async () => {
  const log = dir.join('none');
  const eds = await cliJson<Cla[]>(['endpoints', '--log', log, '-o', 'eds']);
  assert.not.ok(eds.some((c) => /dns|googleapis|facebook/.test(c.clusterName)), eds.map((c) => c.clusterName).join(', '));
  const cds = await cliJson<{ name: string; type: string; loadAssignment?: Cla }[]>(['endpoints', '--log', log, '-o', 'cds']);
  assert.equal(cds.map((c) => `${c.name} ${c.type}`), [
    'outbound|2006||s2dns.external.test.istio.io STRICT_DNS',
    'outbound|2007||tcpmeshdns.seexamples.svc STRICT_DNS',
    'outbound|2443||api1.facebook.com STRICT_DNS',
    'outbound|2443||www1.googleapis.com STRICT_DNS',
  ]);
  const hosts = cds[0]!.loadAssignment!.endpoints[0]!.lbEndpoints.map((l) => l.endpoint.address.socketAddress);
  assert.equal(hosts, [{ address: 's2dns.external.test.istio.io', portValue: 2006 }]);

  const rr = await recordYaml(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: rr, namespace: shop}
spec:
  hosts: [rr.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS_ROUND_ROBIN
`);
  const rrCds = await cliJson<{ name: string; type: string }[]>(['endpoints', '--log', rr, '-o', 'cds']);
  assert.equal(rrCds.map((c) => `${c.name} ${c.type}`), ['outbound|443||rr.example.com LOGICAL_DNS']);
  assert.equal(await cliJson(['endpoints', '--log', rr, '-o', 'eds']), []);
});

const METADATA_YAML = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: api, namespace: shop}
spec:
  hosts: [api.shop.internal]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  location: MESH_INTERNAL
  workloadSelector: {labels: {app: api}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-mtls, namespace: shop}
spec: {address: 10.0.0.1, serviceAccount: api, labels: {app: api, version: v2}, locality: eu-west/zone-a}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: vm-custom-tls
  namespace: shop
  annotations: {istio.io/autoRegistrationGroup: api-group}
spec: {address: 10.0.0.2, labels: {app: api, security.istio.io/tlsMode: custom}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-plain, namespace: shop, labels: {service.istio.io/canonical-name: api-svc, service.istio.io/canonical-revision: latest}}
spec: {address: 10.0.0.3, labels: {app: api}}
`;

test('-o eds metadata: istio.workload as istiod builds it, transport-socket match only for tlsMode istio, empty fields omitted', async () => {
  const log = await recordYaml(METADATA_YAML);
  const [cla] = await cliJson<Cla[]>(['endpoints', '--log', log, '-o', 'eds']);
  const byAddress = new Map(cla!.endpoints.flatMap((g) => g.lbEndpoints).map((l) => [l.endpoint.address.socketAddress.address, l]));
  assert.equal(byAddress.get('10.0.0.1')!.metadata, { filterMetadata: {
    'envoy.transport_socket_match': { tlsMode: 'istio' },
    istio: { workload: 'vm-mtls;shop;api;v2;Kubernetes' },
  } });
  // A tlsMode other than istio does not survive checkMtlsEnabled without a DestinationRule.
  assert.equal(byAddress.get('10.0.0.2')!.metadata, { filterMetadata: { istio: { workload: 'api-group;shop;api;;Kubernetes' } } });
  // The metadata labels count; the default revision "latest" is not sent.
  assert.equal(byAddress.get('10.0.0.3')!.metadata, { filterMetadata: { istio: { workload: 'vm-plain;shop;api-svc;;Kubernetes' } } });
  for (const l of byAddress.values()) assert.is(l.healthStatus, undefined, 'a health status of 0 is not printed');
  assert.equal(cla!.endpoints.map((g) => g.locality), [{}, { region: 'eu-west', zone: 'zone-a' }]);
});

test('a health-checked WorkloadEntry is selected only while its Healthy condition is True', async () => {
  const we = (status: string) => `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: vm-checked
  namespace: shop
  annotations: {proxy.istio.io/health-checks-enabled: "true"}
spec: {address: 10.0.0.9, labels: {app: api}}
${status}`;
  const base = METADATA_YAML.split('---')[0]!;
  const none = await recordYaml(`${base}---\n${we('')}`);
  const addresses = async (log: string) => (await cliJson<{ endpoints: { address: string }[] }>(['endpoints', '--log', log, '-o', 'json']))
    .endpoints.map((e) => e.address);
  assert.equal(await addresses(none), [], 'no Healthy condition yet: istiod treats it as unhealthy');
  const associations = await cliJson<{ associations: unknown[] }>(['associations', '--log', none, '-o', 'json']);
  assert.equal(associations.associations, []);
  const unhealthy = await recordYaml(`${base}---\n${we('status: {conditions: [{type: Healthy, status: "False"}]}')}`);
  assert.equal(await addresses(unhealthy), []);
  const healthy = await recordYaml(`${base}---\n${we('status: {conditions: [{type: Healthy, status: "True"}]}')}`);
  assert.equal(await addresses(healthy), ['10.0.0.9']);
  const why = await cliJson<{ reasons: { code: string }[] }>(['why', '--log', none, 'shop/api', 'shop/vm-checked', '-o', 'json']);
  assert.ok(why.reasons.some((r) => r.code === 'UNHEALTHY'), JSON.stringify(why));
});

const TABLE_YAML = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: db, namespace: shop}
spec:
  hosts: [db.shop.internal]
  ports: [{number: 5432, name: tcp, protocol: TCP}, {number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - {address: "2001:db8::10", locality: eu/a/x}
  - {address: 10.0.0.2, ports: {tcp: 15432}}
  - {address: 10.0.0.10}
`;

test('the endpoints table is istioctl proxy-config endpoint\'s: columns, IPv6 without brackets, sorted by address, port, cluster', async () => {
  const log = await recordYaml(TABLE_YAML);
  const table = (await cliOk(['endpoints', '--log', log])).stdout;
  assert.equal(linesOf(table), [
    'ENDPOINT              STATUS      OUTLIER CHECK     CLUSTER',
    '10.0.0.10:80          HEALTHY     OK                outbound|80||db.shop.internal',
    '10.0.0.10:5432        HEALTHY     OK                outbound|5432||db.shop.internal',
    '10.0.0.2:80           HEALTHY     OK                outbound|80||db.shop.internal',
    '10.0.0.2:15432        HEALTHY     OK                outbound|5432||db.shop.internal',
    '2001:db8::10:80       HEALTHY     OK                outbound|80||db.shop.internal',
    '2001:db8::10:5432     HEALTHY     OK                outbound|5432||db.shop.internal',
  ]);
  const wide = linesOf((await cliOk(['endpoints', '--log', log, '-o', 'wide'])).stdout);
  assert.match(wide[0]!, /^ENDPOINT +STATUS +OUTLIER CHECK +CLUSTER +LOCALITY +TLS +WORKLOAD$/);
  assert.match(wide.at(-1)!, /^2001:db8::10:5432 +HEALTHY +OK +outbound\|5432\|\|db\.shop\.internal +eu\/a\/x +disabled +ServiceEntry\/shop\/db-0$/);
});

test.run();
