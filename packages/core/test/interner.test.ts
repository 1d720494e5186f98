import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Interner } from '../src/internal/Interner.js';

test('equal label sets are one shared object, whatever order or split they arrive in', () => {
  const intern = new Interner();
  const a = intern.sortedMap({ version: 'v1', app: 'x' });
  const b = intern.sortedMap({ app: 'x' }, { version: 'v1' });
  assert.is(a, b);
  assert.equal(Object.keys(a), ['app', 'version']);
  assert.ok(Object.isFrozen(a));
});

test('a map differing in one key, one value or one entry more is its own', () => {
  const intern = new Interner();
  const base = intern.sortedMap({ app: 'x', version: 'v1' });
  const others: Record<string, string>[] = [{ app: 'x', versio: 'v1' }, { app: 'x', version: 'v2' }, { app: 'x' }, { app: 'x', version: 'v1', zone: 'a' }];
  for (const other of others) {
    const got = intern.sortedMap<string>(other);
    assert.is.not(got, base);
    assert.equal(got, Object.fromEntries(Object.entries(other).sort()));
  }
  assert.is(intern.sortedMap({ app: 'x', version: 'v1' }), base);
});

test('over wins over base, and a number is not its string', () => {
  const intern = new Interner();
  assert.equal(intern.sortedMap({ app: 'spec' }, { app: 'meta' }), { app: 'meta' });
  const n = intern.sortedMap<string | number>({ http: 8080 });
  const s = intern.sortedMap<string | number>({ http: '8080' });
  assert.is(n.http, 8080);
  assert.is(s.http, '8080');
});

test('integer-like keys are shared too', () => {
  const intern = new Interner();
  assert.is(intern.sortedMap({ 10: 'a', 9: 'b' }), intern.sortedMap({ 9: 'b', 10: 'a' }));
});

test.run();
