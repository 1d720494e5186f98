// The dump readers, on each format's real shape: what they read, in both spellings, and what they refuse.
import { isMeshfoldError } from '@meshfold/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDuration } from '../src/check/duration.js';
import { parseDump, readDump } from '../src/check/readDump.js';
import { clusterStatuses, configDump, type Json } from './support/dumps.js';

const CLAS: Json[] = [{
  clusterName: 'outbound|80||www.test.com',
  endpoints: [{
    locality: { region: 'us-east', zone: 'us-east-1a' },
    lbEndpoints: [{
      endpoint: { address: { socketAddress: { address: '8.8.8.8', portValue: 8080 } } },
      metadata: { filterMetadata: { 'envoy.transport_socket_match': { tlsMode: 'istio' }, istio: { workload: 'test-we;default;test-we;;Kubernetes' } } },
      loadBalancingWeight: 3,
    }],
    loadBalancingWeight: 3,
  }],
}];

const EXPECTED = {
  name: 'outbound|80||www.test.com',
  endpoints: [{ address: '8.8.8.8', port: 8080, weight: 3, locality: 'us-east/us-east-1a', tlsMode: 'istio', workload: 'test-we;default;test-we;;Kubernetes' }],
};

test('an Envoy config dump with EDS (snake_case): every endpoint config, and the latest last_updated as its time', () => {
  const dump = readDump(configDump(CLAS, '2024-05-01T10:03:30.123Z'), 'd.json');
  assert.is(dump.format, 'config-dump');
  assert.is(dump.lastUpdated, '2024-05-01T10:03:30.123Z');
  const cluster = dump.clusters.find((c) => c.name === EXPECTED.name)!;
  assert.equal(cluster.endpoints.map(({ health: _, ...e }) => e), EXPECTED.endpoints);
  assert.is(cluster.endpoints[0]!.health, 'HEALTHY');
  assert.ok(dump.clusters.some((c) => c.name === 'prometheus_stats'), 'static configs are read too (and later ignored as not outbound)');
});

test('the same config dump in camelCase (proto3 JSON names) reads the same', () => {
  const camel = { configs: [{ '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump', dynamicEndpointConfigs: [{ endpointConfig: CLAS[0], lastUpdated: '2024-05-01T10:00:00Z' }] }] };
  const dump = readDump(camel, 'd.json');
  assert.equal(dump.clusters, [EXPECTED]);
  assert.is(dump.lastUpdated, '2024-05-01T10:00:00Z');
});

test('Envoy /clusters?format=json and istioctl proxy-config endpoint -o json: address, weight, locality, health; no metadata', () => {
  for (const style of ['envoy', 'istioctl'] as const) {
    const dump = readDump(clusterStatuses(CLAS, style), 'c.json');
    assert.is(dump.format, 'clusters');
    assert.is(dump.lastUpdated, undefined);
    assert.equal(dump.clusters, [{ name: EXPECTED.name, endpoints: [{ address: '8.8.8.8', port: 8080, weight: 3, locality: 'us-east/us-east-1a', health: 'HEALTHY' }] }], style);
  }
});

test('a host status without weight or locality (older Envoys) leaves them uncompared; a pipe is a socket path with port 0', () => {
  const dump = readDump({ cluster_statuses: [{ name: 'inbound_9092', host_statuses: [{ address: { pipe: { path: '/sock/mixer.socket' } }, health_status: { eds_health_status: 'HEALTHY' } }] }] }, 'c.json');
  assert.equal(dump.clusters[0]!.endpoints, [{ address: '/sock/mixer.socket', port: 0, health: 'HEALTHY' }]);
});

test('meshfold endpoints -o eds round-trips; Go\'s old wrapper spelling ({value}, Address.SocketAddress.PortSpecifier) is read too', () => {
  assert.equal(readDump(CLAS, 'eds.json'), { format: 'eds', clusters: [EXPECTED] });
  const old = [{ cluster_name: 'outbound|2000||s1tcp.none', endpoints: [{ lb_endpoints: [{ endpoint: { address: { Address: { SocketAddress: { address: '10.11.0.1', PortSpecifier: { PortValue: 7070 } } } } } }], load_balancing_weight: { value: 1 } }] }];
  assert.equal(readDump(old, 'none_eds.json').clusters[0]!.endpoints, [{ address: '10.11.0.1', port: 7070, weight: 1, locality: '' }]);
});

test('a file that is no dump is CHECK_UNKNOWN_DUMP naming the formats expected; a config dump without EDS is CHECK_NO_EDS', () => {
  const fails = (fn: () => unknown, code: string, pattern: RegExp) => {
    try { fn(); assert.unreachable('no error'); } catch (err) {
      assert.ok(isMeshfoldError(err, code as 'CHECK_NO_EDS'), String(err));
      assert.match((err as Error).message, pattern);
    }
  };
  fails(() => parseDump('{"type":"ADDED","object":{}}', 'events.json'), 'CHECK_UNKNOWN_DUMP', /events\.json is an object with type, object, not a dump .*expected an Envoy config dump with EDS/);
  fails(() => parseDump('not json', 'x.txt'), 'CHECK_UNKNOWN_DUMP', /x\.txt is not JSON/);
  fails(() => readDump({ configs: [{ '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump' }] }, 'd.json'), 'CHECK_NO_EDS', /holds ClustersConfigDump.*include_eds/);
});

test('--settle takes Go durations', () => {
  assert.equal(['5s', '500ms', '2m', '1m30s', '1.5h', '0', '250us'].map((d) => parseDuration(d)), [5000, 500, 120_000, 90_000, 5_400_000, 0, 0.25]);
  for (const bad of ['5', '-5s', '5 s', 's', '']) {
    assert.throws(() => parseDuration(bad), (err: unknown) => isMeshfoldError(err, 'CLI_USAGE'), bad);
  }
});

test.run();
