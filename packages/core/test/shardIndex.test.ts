import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ShardIndex } from '../src/internal/ShardIndex.js';

test('a host in two namespaces is two shards, each with its own ServiceEntries', () => {
  const shards = new ShardIndex();
  shards.add('a', 'h.example.com', 'se1');
  shards.add('a', 'h.example.com', 'se2');
  shards.add('b', 'h.example.com', 'se1');
  assert.is(shards.size, 2);
  assert.is(shards.entries(), 3);
  assert.equal(shards.get('a', 'h.example.com'), ['se1', 'se2']);
  assert.equal(shards.get('b', 'h.example.com'), ['se1']);
  assert.equal([...shards.shards()], [['a', 'h.example.com'], ['b', 'h.example.com']]);
});

test('a shard is gone once its last ServiceEntry leaves, and deleting twice is harmless', () => {
  const shards = new ShardIndex();
  shards.add('a', 'h', 'se1');
  shards.add('a', 'h', 'se1');
  shards.delete('a', 'h', 'se1');
  shards.delete('a', 'h', 'se1');
  shards.delete('z', 'h', 'se1');
  assert.is(shards.size, 0);
  assert.equal(shards.get('a', 'h'), []);
  assert.equal([...shards.shards()], []);
});

test.run();
