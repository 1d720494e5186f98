import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clusterName, deltaText, endpointAddress, nameKey, objectKey, parseNameKey, parseObjectKey, recordKey } from '../src/index.js';

test('an object key is built and parsed by one pair of functions', () => {
  const key = objectKey('WorkloadEntry', 'shop', 'vm-1');
  assert.is(key, 'WorkloadEntry/shop/vm-1');
  assert.is(recordKey({ kind: 'WorkloadEntry', namespace: 'shop', name: 'vm-1' }), key);
  assert.equal(parseObjectKey(key), { kind: 'WorkloadEntry', namespace: 'shop', name: 'vm-1' });
  for (const bad of ['shop/vm-1', 'WorkloadEntry//vm-1', 'a/b/c/d']) assert.is(parseObjectKey(bad), undefined, bad);
});

test('a name key is built and parsed by one pair of functions', () => {
  assert.is(nameKey({ namespace: 'shop', name: 'orders' }), 'shop/orders');
  assert.equal(parseNameKey('shop/orders'), { namespace: 'shop', name: 'orders' });
  for (const bad of ['orders', '/orders', 'a/b/c']) assert.is(parseNameKey(bad), undefined, bad);
});

test('an endpoint address is printed as istioctl prints it: IPv6 without brackets, a socket as unix://path', () => {
  assert.is(endpointAddress({ address: '10.0.0.1', port: 8080 }), '10.0.0.1:8080');
  assert.is(endpointAddress({ address: '2001:db8::10', port: 8080 }), '2001:db8::10:8080');
  assert.is(endpointAddress({ address: '/var/run/app.sock', port: 0 }), 'unix:///var/run/app.sock');
});

test('cluster names and delta texts are the CLI\'s', () => {
  assert.is(clusterName(443, 'orders.example.com'), 'outbound|443||orders.example.com');
  assert.is(deltaText({ type: 'association-removed', serviceEntry: 'shop/orders', workloadEntry: 'shop/vm-1' }), '-assoc shop/orders -> shop/vm-1');
  assert.is(deltaText({ type: 'service-added', serviceEntry: 'shop/orders', host: 'orders.example.com', namespace: 'shop' }), 'service added orders.example.com');
});

test.run();
