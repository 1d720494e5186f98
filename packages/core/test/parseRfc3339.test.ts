import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRfc3339 } from '../src/index.js';

const MIDNIGHT = Date.UTC(2024, 0, 1);

test('a time with Z or an offset is the instant it names', () => {
  assert.is(parseRfc3339('2024-01-01T00:00:00Z'), MIDNIGHT);
  assert.is(parseRfc3339('2024-01-01T02:00:00+02:00'), MIDNIGHT);
  assert.is(parseRfc3339('2023-12-31T19:00:00-05:00'), MIDNIGHT);
  assert.is(parseRfc3339('2024-01-01T00:00:00.250Z'), MIDNIGHT + 250);
});

test('RFC 3339 allows a lower-case t and z, and a space for the T', () => {
  assert.is(parseRfc3339('2024-01-01t00:00:00z'), MIDNIGHT);
  assert.is(parseRfc3339('2024-01-01 00:00:00Z'), MIDNIGHT);
});

test('a time without a zone is refused: Date.parse would read it as local time', () => {
  assert.is(parseRfc3339('2024-01-01T00:00:00'), undefined);
  assert.is(parseRfc3339('2024-01-01T00:00:00+0200'), undefined);
});

test('a day that does not exist is refused, not rolled over into the next month', () => {
  assert.is(parseRfc3339('2024-02-30T00:00:00Z'), undefined);
  assert.is(parseRfc3339('2023-02-29T00:00:00Z'), undefined);
  assert.is(parseRfc3339('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
});

test('24:00, which Date.parse reads as the next midnight, is not an RFC 3339 hour', () => {
  assert.is(parseRfc3339('2024-01-01T24:00:00Z'), undefined);
  assert.is(parseRfc3339('2024-01-01T23:59:59.999Z'), Date.UTC(2024, 0, 2) - 1);
});

test('other shapes Date.parse accepts are refused', () => {
  for (const text of ['2024-01-01', 'Mon, 01 Jan 2024 00:00:00 GMT', '1704067200000', 'yesterday', '']) {
    assert.is(parseRfc3339(text), undefined, text);
  }
});

test.run();
