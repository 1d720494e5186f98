import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NameTable } from '../src/internal/NameTable.js';

interface Named { readonly name: string; readonly v: number }

test('a value is found by its name, replaced by one of the same name, and gone once deleted', () => {
  const t = new NameTable<Named>();
  t.set({ name: 'a', v: 1 });
  t.set({ name: 'a', v: 2 });
  assert.is(t.size, 1);
  assert.is(t.get('a')?.v, 2);
  assert.ok(t.delete('a'));
  assert.not.ok(t.delete('a'));
  assert.is(t.get('a'), undefined);
  assert.is(t.size, 0);
});

test('through growth, shrinking and deletes inside probe clusters it answers as a Map does', () => {
  const t = new NameTable<Named>();
  const model = new Map<string, number>();
  let seed = 25531;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let step = 0; step < 20_000; step++) {
    // Few distinct names early and many later, so the table both grows and shrinks.
    const name = `we-${next(step < 10_000 ? 3000 : 200)}`;
    if (next(3) === 0 || (step > 12_000 && next(2) === 0)) {
      assert.is(t.delete(name), model.delete(name));
    } else {
      t.set({ name, v: step });
      model.set(name, step);
    }
    if (step % 997 === 0) for (const [n, v] of model) assert.is(t.get(n)?.v, v, n);
  }
  assert.is(t.size, model.size);
  assert.equal([...t.values()].map((x) => [x.name, x.v]).sort(), [...model].sort());
});

test.run();
