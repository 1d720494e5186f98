import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_SEQ, seqKey, seqOfKey } from '../src/seqKey.js';

const compareBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

test('a seq key reads back as its seq, up to the largest safe integer', () => {
  for (const seq of [0, 1, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, MAX_SEQ]) assert.is(seqOfKey(seqKey(seq)), seq);
});

test('seq keys sort byte by byte as their seqs do', () => {
  fc.assert(fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (a, b) => {
    assert.is(Math.sign(compareBytes(seqKey(a), seqKey(b))), Math.sign(a - b));
    assert.is(seqOfKey(seqKey(a)), a);
  }), { numRuns: 2000 });
});

test.run();
