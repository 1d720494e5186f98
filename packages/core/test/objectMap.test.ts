import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectMap } from '../src/internal/ObjectMap.js';

test('sorted() gives the values in the order of their ns/name keys, even where one namespace prefixes another', () => {
  const part = fc.stringMatching(/^[ab][-.ab]{0,3}$/);
  fc.assert(fc.property(fc.array(fc.record({ namespace: part, name: part }), { maxLength: 40 }), (entries) => {
    const map = new ObjectMap<{ namespace: string; name: string }>();
    for (const e of entries) map.set(e);
    const keys = map.sorted().map((v) => `${v.namespace}/${v.name}`);
    const expected = [...new Set(entries.map((e) => `${e.namespace}/${e.name}`))].sort();
    assert.equal(keys, expected);
  }), { numRuns: 500 });
});

test.run();
