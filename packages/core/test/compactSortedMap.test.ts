import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compactSortedMap } from '../src/internal/compactSortedMap.js';

test('a compact map holds the merged entries, sorted, over winning, and is frozen', () => {
  const map = compactSortedMap<string | number>({ zone: 'a', app: 'spec', http: 8080 }, { app: 'meta' });
  assert.equal(Object.entries(map), [['app', 'meta'], ['http', 8080], ['zone', 'a']]);
  assert.ok(Object.isFrozen(map));
});

test('a compact map of nothing is an empty frozen map', () => {
  const map = compactSortedMap();
  assert.equal(map, {});
  assert.ok(Object.isFrozen(map));
});

test.run();
