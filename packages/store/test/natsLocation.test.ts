import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isNatsLocation, parseNatsLocation } from '../src/index.js';

test('a nats:// location names its servers and stream', () => {
  assert.equal(parseNatsLocation('nats://127.0.0.1:4222,127.0.0.1:4223/mesh'), { servers: ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223'], stream: 'mesh' });
  assert.ok(isNatsLocation('nats://h:1/s'));
  assert.not.ok(isNatsLocation('./log'));
});

test('credentials in the location are refused, and not echoed', () => {
  assert.throws(() => parseNatsLocation('nats://alice:s3cret@127.0.0.1:4222/mesh'), (err: Error) => {
    return (err as { code?: string }).code === 'INPUT_MALFORMED' && !err.message.includes('s3cret') && err.message.includes('NATS_CREDS');
  });
});

test('a location without a stream, or with a name that cannot be a subject token, is INPUT_MALFORMED', () => {
  for (const bad of ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222/', 'nats://127.0.0.1:4222/a.b', 'nats:///mesh']) {
    assert.throws(() => parseNatsLocation(bad), (err: Error) => (err as { code?: string }).code === 'INPUT_MALFORMED', bad);
  }
});

test.run();
