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

test('sorted() keeps giving the latest values in key order through sets, replacements and deletes after it was first asked', () => {
  const part = fc.stringMatching(/^[ab][-.ab]{0,2}$/);
  const op = fc.oneof(
    fc.record({ op: fc.constant('set' as const), namespace: part, name: part, version: fc.nat(9) }),
    fc.record({ op: fc.constant('delete' as const), namespace: part, name: part }),
    fc.constant({ op: 'sorted' as const }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
    type V = { namespace: string; name: string; version: number };
    const map = new ObjectMap<V>();
    const truth = new Map<string, V>();
    const check = () => {
      const expected = [...truth.keys()].sort().map((k) => truth.get(k));
      const got = map.sorted();
      assert.equal(got.length, expected.length);
      got.forEach((v, i) => assert.is(v, expected[i], `position ${i}`));
    };
    for (const o of ops) {
      if (o.op === 'set') {
        const value = { namespace: o.namespace, name: o.name, version: o.version };
        map.set(value);
        truth.set(`${o.namespace}/${o.name}`, value);
      } else if (o.op === 'delete') {
        map.delete(o.namespace, o.name);
        truth.delete(`${o.namespace}/${o.name}`);
      } else check();
    }
    check();
    assert.is(map.size, truth.size);
  }), { numRuns: 500 });
});

test.run();
