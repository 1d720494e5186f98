import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SetMultimap } from '../src/internal/SetMultimap.js';

test('a key keeps its values as a set, in insertion order, however many it holds', () => {
  const m = new SetMultimap();
  const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
  for (const v of values) {
    m.add('k', v);
    m.add('k', v);
  }
  assert.equal(m.get('k'), values);
  assert.is(m.count('k'), 40);
  assert.ok(m.has('k', 'v39') && !m.has('k', 'v40'));
  for (const v of values.slice(0, 35)) m.delete('k', v);
  assert.equal(m.get('k'), values.slice(35));
  m.add('k', 'again');
  assert.equal(m.get('k'), [...values.slice(35), 'again']);
  for (const v of [...values.slice(35), 'again']) m.delete('k', v);
  assert.is(m.count('k'), 0);
  assert.is(m.size, 0);
});

test('get returns a copy that later changes do not touch', () => {
  const m = new SetMultimap();
  m.add('k', 'a');
  m.add('k', 'b');
  const got = m.get('k');
  m.delete('k', 'a');
  m.add('k', 'c');
  assert.equal(got, ['a', 'b']);
  assert.equal(m.get('k'), ['b', 'c']);
});

test.run();
