import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from './support/conformance.js';
import fc from 'fast-check';
import { isFqdn, isIpAddress, validateObject } from '../src/validateObject.js';

type Json = Record<string, unknown>;

const SE_SPEC: Json = {
  hosts: ['api.example.com'],
  addresses: ['240.0.0.10'],
  ports: [
    { number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 },
    { number: 443, name: 'https', protocol: 'https' },
  ],
  location: 'MESH_EXTERNAL',
  resolution: 'STATIC',
  endpoints: [
    { address: '10.0.0.1', ports: { http: 9090 }, labels: { app: 'api', 'security.istio.io/tlsMode': 'istio' } },
    { address: '2001:db8::1', network: 'net-1', locality: 'eu/west/a', weight: 3, serviceAccount: 'api' },
  ],
  exportTo: ['.', 'other-ns'],
  subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/api'],
};

const WE_SPEC: Json = {
  address: '10.0.0.7',
  ports: { http: 8080 },
  labels: { app: 'orders', version: 'v1' },
  network: 'net-1',
  locality: 'eu/west',
  weight: 10,
  serviceAccount: 'orders',
};

/** A valid ServiceEntry with `spec` fields replaced (undefined removes one). */
function se(spec: Json = {}, metadata: Json = {}): Json {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'api', namespace: 'shop', ...metadata },
    spec: { ...SE_SPEC, ...spec },
  };
}

function we(spec: Json = {}, metadata: Json = {}): Json {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'WorkloadEntry',
    metadata: { name: 'orders-vm', namespace: 'shop', labels: { team: 'a' }, ...metadata },
    spec: { ...WE_SPEC, ...spec },
  };
}

/** Exactly one issue, on `field`, whose rule mentions `word`. */
function rejects(obj: unknown, field: string, word: RegExp): void {
  const issues = validateObject(obj);
  assert.equal(issues.map((i) => i.field), [field], JSON.stringify(issues));
  assert.match(issues[0]!.rule, word);
}

function accepts(obj: unknown): void {
  assert.equal(validateObject(obj), []);
}

// --- valid objects ---------------------------------------------------------------------------

test('a full valid ServiceEntry has no issues', () => accepts(se()));
test('a full valid WorkloadEntry has no issues', () => accepts(we()));
test('every apiVersion of networking.istio.io is accepted', () => {
  for (const v of ['v1alpha3', 'v1beta1', 'v1']) accepts({ ...se(), apiVersion: `networking.istio.io/${v}` });
});

test('every object in the conformance scenarios is valid', () => {
  const dir = conformanceDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 0);
  let count = 0;
  for (const file of files) {
    const scenario = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: { object: unknown }[] };
    for (const [i, event] of scenario.events.entries()) {
      assert.equal(validateObject(event.object), [], `${file} event ${i}`);
      count++;
    }
  }
  assert.ok(count >= 10);
});

// --- envelope ----------------------------------------------------------------------------------

test('a non-object is one issue on the root', () => {
  for (const input of [null, undefined, 42, 'x', [se()]]) rejects(input, '', /object/);
});
test('data that is not plain JSON is reported at its path, through arrays and objects', () => {
  rejects(se({ endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2', labels: new Map() }] }), 'spec.endpoints[1].labels', /Map is not JSON data/);
  rejects(se({ ports: [{ number: Number.NaN, name: 'http' }] }), 'spec.ports[0].number', /not a JSON number/);
  rejects(we({ labels: JSON.parse('{"__proto__": "x"}') as Json }), 'spec.labels.__proto__', /__proto__/);
  let deep: unknown = 'x';
  for (let i = 0; i < 70; i++) deep = [deep];
  rejects(se({ hosts: deep as Json }), `spec.hosts${'[0]'.repeat(62)}`, /levels deep/);
});
test('another API group is rejected', () => rejects({ ...se(), apiVersion: 'networking.k8s.io/v1' }, 'apiVersion', /networking\.istio\.io/));
test('an unknown version is rejected', () => rejects({ ...se(), apiVersion: 'networking.istio.io/v2' }, 'apiVersion', /v1alpha3/));
test('a missing apiVersion is required', () => rejects({ ...se(), apiVersion: undefined }, 'apiVersion', /required/));
test('another kind is rejected', () => rejects({ ...se(), kind: 'DestinationRule' }, 'kind', /ServiceEntry or WorkloadEntry/));
test('missing metadata is required', () => rejects({ ...se(), metadata: undefined }, 'metadata', /required/));
test('a missing name is required', () => rejects(se({}, { name: undefined }), 'metadata.name', /required/));
test('a name must be a DNS-1123 subdomain', () => rejects(se({}, { name: 'My_SE' }), 'metadata.name', /subdomain/));
test('a dotted name is a valid subdomain', () => accepts(se({}, { name: 'api.v2' })));
test('a namespace must be a DNS-1123 label', () => rejects(se({}, { namespace: 'a.b' }), 'metadata.namespace', /label/));
test('a missing namespace is allowed', () => accepts(se({}, { namespace: undefined })));
test('metadata label keys must be valid', () => {
  rejects(we({}, { labels: { 'bad key': 'x' } }), 'metadata.labels["bad key"]', /label key/);
});
test('metadata label values must be valid', () => rejects(we({}, { labels: { tier: '-x' } }), 'metadata.labels.tier', /label value/));

// --- JSON types --------------------------------------------------------------------------------

test('a string where a list belongs is a type issue', () => rejects(se({ hosts: 'api.example.com' }), 'spec.hosts', /list/));
test('a string where a port number belongs is a type issue', () => {
  rejects(se({ ports: [{ number: '80', name: 'http', protocol: 'HTTP' }] }), 'spec.ports[0].number', /integer/);
});
test('a fractional port number is a type issue', () => {
  rejects(se({ ports: [{ number: 80.5, name: 'http', protocol: 'HTTP' }] }), 'spec.ports[0].number', /integer/);
});
test('a number where a label value belongs is a type issue', () => {
  rejects(we({ labels: { app: 1 } }), 'spec.labels.app', /string/);
});
test('a list where the spec belongs is a type issue', () => {
  const issues = validateObject({ ...se(), spec: [] });
  assert.equal(issues[0], { field: 'spec', rule: 'must be an object' });
});
test('a string where the ports map belongs is a type issue', () => rejects(we({ ports: 'http' }), 'spec.ports', /object/));
test('an explicit null counts as absent', () => accepts(se({ addresses: null, exportTo: null })));
test('garbage anywhere never throws', () => {
  const odd = [se({ ports: [1, 'a', [], {}] }), se({ endpoints: [{ ports: [], labels: 'x' }] }),
    we({ address: 7, ports: { '': -1 } }), { metadata: 5, spec: 'x', kind: 'WorkloadEntry' }, {}];
  for (const obj of odd) assert.ok(validateObject(obj).length > 0);
});

test('arbitrary JSON in any field never throws and always yields well-formed issues', () => {
  const fields = [...Object.keys(SE_SPEC), 'workloadSelector'];
  fc.assert(fc.property(fc.constantFrom(...fields), fc.jsonValue(), fc.boolean(), (field, value, standalone) => {
    const obj = standalone ? we({ [field]: value }) : se({ [field]: value, endpoints: [{ [field]: value }] });
    for (const issue of validateObject(obj)) {
      assert.type(issue.field, 'string');
      assert.ok(issue.rule.length > 0);
    }
  }), { numRuns: 2000 });
});

// --- rule 1: workload selector -------------------------------------------------------------------

const selected = (labels: unknown): Json => se({ endpoints: undefined, workloadSelector: { labels } });

test('a selector is accepted on its own', () => accepts(selected({ app: 'api' })));
test('an empty selector is only a warning in Istio', () => accepts(selected({})));
test('a selector key must not be empty', () => rejects(selected({ '': 'x' }), 'spec.workloadSelector.labels[""]', /empty/));
test('a selector value must not hold a wildcard', () => rejects(selected({ app: 'a*' }), 'spec.workloadSelector.labels.app', /wildcard/));
test('a selector key must not hold a wildcard', () => rejects(selected({ 'a*': 'x' }), 'spec.workloadSelector.labels["a*"]', /wildcard/));
test('a selector value is at most 63 characters', () => {
  rejects(selected({ app: 'a'.repeat(64) }), 'spec.workloadSelector.labels.app', /63/);
});

// --- rule 2: selector xor endpoints ----------------------------------------------------------------

test('a selector together with endpoints is rejected', () => {
  rejects(se({ workloadSelector: { labels: { app: 'api' } } }), 'spec.workloadSelector', /endpoints/);
});

// --- rule 3: hosts ---------------------------------------------------------------------------------

test('hosts are required', () => rejects(se({ hosts: [] }), 'spec.hosts', /at least one/));
test('the full wildcard host is rejected', () => rejects(se({ hosts: ['*'] }), 'spec.hosts[0]', /wildcard/));
test('a wildcard first label is accepted', () => accepts(se({ hosts: ['*.example.com', '*-api.example.com'] })));
test('a partial wildcard is only a warning in Istio', () => accepts(se({ hosts: ['*api.example.com'] })));
test('a wildcard after the first label is rejected', () => rejects(se({ hosts: ['api.*.com'] }), 'spec.hosts[0]', /domain/));
test('a trailing wildcard in a label is rejected', () => rejects(se({ hosts: ['foo*.com'] }), 'spec.hosts[0]', /domain/));
test('an all-numeric top-level label is rejected', () => rejects(se({ hosts: ['10.1.2.3'] }), 'spec.hosts[0]', /domain/));
test('a trailing dot is accepted', () => accepts(se({ hosts: ['api.example.com.'] })));
test('a host label longer than 63 characters is rejected', () => {
  rejects(se({ hosts: [`${'a'.repeat(64)}.com`] }), 'spec.hosts[0]', /domain/);
});
test('at most 256 hosts', () => {
  const hosts = Array.from({ length: 257 }, (_, i) => `h${i}.example.com`);
  rejects(se({ hosts, resolution: 'NONE', endpoints: undefined }), 'spec.hosts', /256/);
});

// --- rule 4: addresses -----------------------------------------------------------------------------

test('an address must be an IP or a CIDR block', () => rejects(se({ addresses: ['api.example.com'] }), 'spec.addresses[0]', /CIDR/));
test('a malformed CIDR block is rejected', () => rejects(se({ addresses: ['10.0.0.0/33'] }), 'spec.addresses[0]', /CIDR/));
test('CIDR blocks and IPv6 are accepted with STATIC', () => accepts(se({ addresses: ['10.0.0.0/24', '2001:db8::/32'] })));
test('a CIDR block with DNS resolution is rejected', () => {
  rejects(se({ addresses: ['10.0.0.0/24'], resolution: 'DNS' }), 'spec.addresses[0]', /NONE or STATIC/);
});
test('an address is at most 64 characters', () => {
  rejects(se({ addresses: [`2001:db8::1%${'x'.repeat(60)}`] }), 'spec.addresses[0]', /64/);
});

// --- rule 5: ports ---------------------------------------------------------------------------------

const withPorts = (...ports: unknown[]): Json => se({ ports, endpoints: undefined });
const http = { number: 80, name: 'http', protocol: 'HTTP' };

test('a null port is rejected', () => rejects(withPorts(http, null), 'spec.ports[1]', /null/));
test('a duplicate port name is rejected, naming the first', () => {
  rejects(withPorts(http, { number: 81, name: 'http' }), 'spec.ports[1].name', /duplicated \(also spec\.ports\[0\]\)/);
});
test('a duplicate port number is rejected, naming the first', () => {
  rejects(withPorts(http, { number: 80, name: 'web' }), 'spec.ports[1].number', /port number 80 is duplicated \(also spec\.ports\[0\]\)/);
});
test('a port name must be a DNS-1123 label', () => rejects(withPorts({ ...http, name: 'http_1' }), 'spec.ports[0].name', /DNS-1123 label/));
test('a port name is required', () => rejects(withPorts({ ...http, name: undefined }), 'spec.ports[0].name', /required/));
test('a port number is required', () => rejects(withPorts({ ...http, number: undefined }), 'spec.ports[0].number', /required/));
test('a port number 0 is out of range', () => rejects(withPorts({ ...http, number: 0 }), 'spec.ports[0].number', /1 and 65535/));
test('a port number above 65535 is out of range', () => rejects(withPorts({ ...http, number: 65536 }), 'spec.ports[0].number', /65535/));
test('a targetPort above 65535 is out of range', () => rejects(withPorts({ ...http, targetPort: 70000 }), 'spec.ports[0].targetPort', /65535/));
test('an unknown protocol is rejected', () => rejects(withPorts({ ...http, protocol: 'SMTP' }), 'spec.ports[0].protocol', /protocol/));
test('UNSUPPORTED is rejected like any unknown protocol', () => {
  rejects(withPorts({ ...http, protocol: 'UNSUPPORTED' }), 'spec.ports[0].protocol', /protocol/);
});
test('protocols are case-insensitive and may be empty', () => {
  accepts(withPorts({ number: 1, name: 'a', protocol: 'grpc-web' }, { number: 2, name: 'b', protocol: '' },
    { number: 3, name: 'c', protocol: 'Http_Proxy' }, { number: 4, name: 'd' }));
});

// --- rule 6: NONE ----------------------------------------------------------------------------------

test('NONE resolution with endpoints is rejected', () => rejects(se({ resolution: 'NONE' }), 'spec.endpoints', /NONE/));
test('a missing resolution means NONE', () => rejects(se({ resolution: undefined }), 'spec.endpoints', /NONE/));
test('NONE resolution with a selector is only a warning', () => {
  accepts(se({ resolution: 'NONE', endpoints: undefined, workloadSelector: { labels: { app: 'api' } } }));
});

// --- rule 7: STATIC endpoints ---------------------------------------------------------------------

const endpoint = (e: unknown): Json => se({ endpoints: [e] });

test('a null endpoint is rejected', () => rejects(endpoint(null), 'spec.endpoints[0]', /null/));
test('an endpoint address is required without a network', () => rejects(endpoint({}), 'spec.endpoints[0].address', /required/));
test('an endpoint without address but with a network is accepted', () => accepts(endpoint({ network: 'remote' })));
test('a STATIC endpoint must not be an FQDN', () => {
  rejects(endpoint({ address: 'vm.example.com' }), 'spec.endpoints[0].address', /IP address/);
});
test('a STATIC endpoint must not be garbage', () => rejects(endpoint({ address: '10.0.0.300' }), 'spec.endpoints[0].address', /IP address/));
const oneUnixPort = (e: unknown): Json => se({ endpoints: [e], ports: [http] });
test('a unix socket endpoint with one port is accepted', () => {
  accepts(oneUnixPort({ address: 'unix:///var/run/api.sock' }));
  accepts(oneUnixPort({ address: 'unix://@abstract' }));
});
test('a unix socket path must be absolute', () => rejects(oneUnixPort({ address: 'unix://run/api.sock' }), 'spec.endpoints[0].address', /absolute/));
test('a unix socket path must not end with a slash', () => rejects(oneUnixPort({ address: 'unix:///run/' }), 'spec.endpoints[0].address', /absolute/));
test('a unix socket endpoint must not have ports', () => {
  rejects(oneUnixPort({ address: 'unix:///run/api.sock', ports: { http: 80 } }), 'spec.endpoints[0].ports', /unix/);
});
test('a unix socket endpoint needs exactly one service port', () => {
  rejects(endpoint({ address: 'unix:///run/api.sock' }), 'spec.ports', /exactly one port/);
});
test('an endpoint port must name a service port', () => {
  rejects(endpoint({ address: '10.0.0.1', ports: { grpc: 9000 } }), 'spec.endpoints[0].ports.grpc', /not defined/);
});
test('an endpoint port name must be a DNS-1123 label', () => {
  rejects(endpoint({ address: '10.0.0.1', ports: { 'h.t': 9000 } }), 'spec.endpoints[0].ports["h.t"]', /DNS-1123/);
});
test('an endpoint port value is in 1..65535', () => {
  rejects(endpoint({ address: '10.0.0.1', ports: { http: 0 } }), 'spec.endpoints[0].ports.http', /65535/);
});
test('an endpoint label key must be valid', () => {
  rejects(endpoint({ address: '10.0.0.1', labels: { '/app': 'x' } }), 'spec.endpoints[0].labels["/app"]', /label key/);
});
test('an endpoint label value must match the label-value pattern, at any length (Istio checks no length there)', () => {
  rejects(endpoint({ address: '10.0.0.1', labels: { app: 'a-' } }), 'spec.endpoints[0].labels.app', /label value/);
  accepts(endpoint({ address: '10.0.0.1', labels: { app: 'a'.repeat(64) } }));
});
test('a metadata label value is at most 63 characters (the API server checks it)', () => {
  rejects(we({}, { labels: { app: 'a'.repeat(64) } }), 'metadata.labels.app', /63/);
});
test('an endpoint weight is an unsigned 32-bit integer', () => {
  rejects(endpoint({ address: '10.0.0.1', weight: -1 }), 'spec.endpoints[0].weight', /unsigned/);
});

// --- rule 8: DNS and DNS_ROUND_ROBIN --------------------------------------------------------------

const dns = (spec: Json): Json => se({ resolution: 'DNS', addresses: undefined, ...spec });

test('DNS resolution accepts FQDN and IP endpoints', () => {
  accepts(dns({ endpoints: [{ address: 'vm.example.com' }, { address: '10.0.0.1', ports: { http: 8080 } }] }));
});
test('DNS without endpoints needs FQDN hosts, not wildcards', () => {
  rejects(dns({ endpoints: undefined, hosts: ['*.example.com'], ports: [http] }), 'spec.hosts[0]', /FQDN/);
});
test('DNS with endpoints may have a wildcard host', () => accepts(dns({ hosts: ['*.example.com'] })));
test('DNS_ROUND_ROBIN allows one endpoint', () => accepts(dns({ resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'vm.example.com' }] })));
test('DNS_ROUND_ROBIN rejects a second endpoint', () => {
  rejects(dns({ resolution: 'DNS_ROUND_ROBIN' }), 'spec.endpoints', /at most one/);
});
test('a DNS endpoint must be an IP or FQDN', () => {
  rejects(dns({ endpoints: [{ address: 'vm_1.example.com' }] }), 'spec.endpoints[0].address', /FQDN/);
});
test('a DNS endpoint cannot be a unix socket', () => {
  rejects(dns({ endpoints: [{ address: 'unix:///run/a.sock' }], ports: [http] }), 'spec.endpoints[0].address', /FQDN/);
});
test('a DNS endpoint needs an address even with a network', () => {
  rejects(dns({ endpoints: [{ network: 'remote' }] }), 'spec.endpoints[0].address', /FQDN/);
});
test('a DNS endpoint port must name a service port', () => {
  rejects(dns({ endpoints: [{ address: 'vm.example.com', ports: { web: 80 } }] }), 'spec.endpoints[0].ports.web', /not defined/);
});
test('a DNS endpoint label must be valid', () => {
  rejects(dns({ endpoints: [{ address: 'vm.example.com', labels: { 'a/b/c': 'x' } }] }), 'spec.endpoints[0].labels["a/b/c"]', /label key/);
});

// --- rule 9: DYNAMIC_DNS ---------------------------------------------------------------------------

const dynamic = (spec: Json = {}, metadata: Json = {}): Json => se({
  resolution: 'DYNAMIC_DNS', hosts: ['*.example.com'], addresses: undefined, endpoints: undefined,
  ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], ...spec,
}, metadata);

test('a DYNAMIC_DNS entry with wildcard hosts and TLS is accepted', () => accepts(dynamic()));
test('DYNAMIC_DNS needs wildcard hosts', () => rejects(dynamic({ hosts: ['api.example.com'] }), 'spec.hosts[0]', /wildcard/));
test('DYNAMIC_DNS rejects addresses', () => rejects(dynamic({ addresses: ['240.0.0.1'] }), 'spec.addresses', /DYNAMIC_DNS/));
test('DYNAMIC_DNS rejects endpoints', () => rejects(dynamic({ endpoints: [{ address: '10.0.0.1' }] }), 'spec.endpoints', /DYNAMIC_DNS/));
test('DYNAMIC_DNS rejects a TCP port', () => {
  rejects(dynamic({ ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }] }), 'spec.ports[0].protocol', /DYNAMIC_DNS/);
});
test('DYNAMIC_DNS rejects a waypoint label when MESH_INTERNAL', () => {
  const labels = { 'istio.io/use-waypoint': 'wp' };
  rejects(dynamic({ location: 'MESH_INTERNAL' }, { labels }), 'metadata.labels["istio.io/use-waypoint"]', /MESH_INTERNAL/);
  accepts(dynamic({ location: 'MESH_EXTERNAL' }, { labels }));
});
test('DYNAMIC_DNS accepts the waypoint label values that mean no waypoint when MESH_INTERNAL', () => {
  for (const value of ['', 'none', 'None', 'NONE']) {
    accepts(dynamic({ location: 'MESH_INTERNAL' }, { labels: { 'istio.io/use-waypoint': value } }));
  }
});

// --- rule 10: enums ---------------------------------------------------------------------------------

test('an unknown resolution is rejected', () => rejects(se({ resolution: 'MAGIC' }), 'spec.resolution', /STATIC/));
test('a lower-case resolution is rejected', () => rejects(se({ resolution: 'static' }), 'spec.resolution', /one of/));
test('an unknown location is rejected', () => rejects(se({ location: 'MESH_OUTSIDE' }), 'spec.location', /MESH_INTERNAL/));

// --- rule 11: multiple hosts need HTTP or TLS ports ----------------------------------------------

const twoHosts = (protocol?: string): Json => se({ hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 80, name: 'http', protocol }] });

test('several hosts with an HTTP or TLS port are accepted', () => {
  for (const protocol of ['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web', 'HTTPS', 'TLS']) accepts(twoHosts(protocol));
});
test('several hosts with a TCP port are rejected', () => rejects(twoHosts('TCP'), 'spec.ports[0].protocol', /multiple hosts/));
test('several hosts with an unset protocol are rejected', () => rejects(twoHosts(undefined), 'spec.ports[0].protocol', /multiple hosts/));
test('several hosts with TCP are fine for NONE resolution', () => {
  accepts(se({ hosts: ['a.example.com', 'b.example.com'], resolution: 'NONE', endpoints: undefined, ports: [{ number: 80, name: 'p', protocol: 'TCP' }] }));
});

// --- rule 12: exportTo ------------------------------------------------------------------------------

test('exportTo ~ alone is accepted for a ServiceEntry', () => accepts(se({ exportTo: ['~'] })));
test('exportTo * alone is accepted', () => accepts(se({ exportTo: ['*'] })));
test('an exportTo duplicate is rejected', () => rejects(se({ exportTo: ['a', 'a'] }), 'spec.exportTo[1]', /duplicated/));
test('exportTo . and the own namespace are duplicates', () => rejects(se({ exportTo: ['.', 'shop'] }), 'spec.exportTo[1]', /duplicated/));
test('exportTo * with other entries is rejected', () => rejects(se({ exportTo: ['*', 'a'] }), 'spec.exportTo', /\*/));
test('exportTo ~ with other entries is rejected', () => rejects(se({ exportTo: ['a', '~'] }), 'spec.exportTo', /~/));
test('an exportTo entry must be a namespace name', () => rejects(se({ exportTo: ['a.b'] }), 'spec.exportTo[0]', /namespace/));

// --- standalone WorkloadEntry --------------------------------------------------------------------

test('a WorkloadEntry address is required without a network', () => {
  rejects(we({ address: undefined, network: undefined }), 'spec.address', /required/);
});
test('a WorkloadEntry without address but with a network is accepted', () => accepts(we({ address: undefined })));
test('a WorkloadEntry may have an FQDN address', () => accepts(we({ address: 'vm.example.com' })));
test('a WorkloadEntry address must be an IP, FQDN or socket', () => rejects(we({ address: 'vm/1' }), 'spec.address', /IP address/));
test('a unix WorkloadEntry must not have ports', () => {
  rejects(we({ address: 'unix:///run/a.sock' }), 'spec.ports', /unix/);
  accepts(we({ address: 'unix:///run/a.sock', ports: undefined }));
});
test('a WorkloadEntry port name must be a DNS-1123 label', () => rejects(we({ ports: { 'h t': 80 } }), 'spec.ports["h t"]', /DNS-1123/));
test('a WorkloadEntry port is not checked against any ServiceEntry', () => accepts(we({ ports: { anything: 80 } })));
test('a WorkloadEntry port value is in 1..65535', () => rejects(we({ ports: { http: 65536 } }), 'spec.ports.http', /65535/));
test('a WorkloadEntry label must be valid', () => rejects(we({ labels: { app: 'a b' } }), 'spec.labels.app', /label value/));
test('a WorkloadEntry serviceAccount is at most 253 characters', () => {
  rejects(we({ serviceAccount: 'a'.repeat(254) }), 'spec.serviceAccount', /253/);
});

// --- predicates ----------------------------------------------------------------------------------

test('isIpAddress accepts IPv4 and IPv6 only', () => {
  for (const ip of ['1.2.3.4', '::1', '2001:db8::1', '::ffff:10.0.0.1']) assert.ok(isIpAddress(ip), ip);
  for (const s of ['', '1.2.3', '01.2.3.4', '1.2.3.256', 'example.com', '10.0.0.0/8', ':::']) assert.not.ok(isIpAddress(s), s);
});

test('isFqdn accepts DNS names and rejects wildcards and IPs', () => {
  for (const s of ['example.com', 'Example.COM', 'a-b.example.com.', 'localhost', 'x1.y2']) assert.ok(isFqdn(s), s);
  for (const s of ['', '*.example.com', '1.2.3.4', 'a..b', '-a.com', 'a_b.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(128)}com`]) {
    assert.not.ok(isFqdn(s), s);
  }
});

test('isFqdn checks the literal last label for a number, as Istio does: a trailing dot makes it the empty one', () => {
  for (const s of ['db.10.', '10.0.0.1.', 'a.99999999999999999999']) assert.ok(isFqdn(s), s);
  for (const s of ['db.10', 'a.9223372036854775807', '.', 'a.b..']) assert.not.ok(isFqdn(s), s);
});

test.run();
