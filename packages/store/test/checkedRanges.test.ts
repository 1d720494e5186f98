import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkedCursor, decodeChecked, encodeChecked, extendChecked } from '../src/CheckedRanges.js';

test('appends of one version extend its last range; another version or a gap starts a new one', () => {
  let ranges = extendChecked([], 1, 10, 'v1');
  ranges = extendChecked(ranges, 11, 20, 'v1');
  ranges = extendChecked(ranges, 21, 25, 'v2');
  ranges = extendChecked(ranges, 30, 31, 'v2');
  assert.equal(ranges, [{ from: 1, to: 20, version: 'v1' }, { from: 21, to: 25, version: 'v2' }, { from: 30, to: 31, version: 'v2' }]);
  assert.equal(decodeChecked(encodeChecked(ranges)), ranges);
});

test('the cursor answers for ascending seqs, and only for the version asked about', () => {
  const ranges = [{ from: 2, to: 3, version: 'v1' }, { from: 4, to: 5, version: 'v2' }, { from: 7, to: 8, version: 'v1' }];
  const checked = checkedCursor(ranges, 'v1');
  assert.equal([1, 2, 3, 4, 5, 6, 7, 8, 9].map(checked), [false, true, true, false, false, false, true, true, false]);
});

test('a meta value that is not a well-formed list reads as nothing checked, so everything is validated', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.equal(decodeChecked(undefined), []);
  assert.equal(decodeChecked(bytes('{broken')), []);
  assert.equal(decodeChecked(bytes('{"from":1}')), []);
  assert.equal(decodeChecked(bytes('[[1,"x","v1"],[3,4,"v1"]]')), [{ from: 3, to: 4, version: 'v1' }]);
});

test.run();
