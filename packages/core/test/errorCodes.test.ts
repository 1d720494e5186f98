// The error contract an embedding program relies on: codes from one closed registry, recognised
// by code (not by class, which differs between copies of the package), a cause carried as ES2022
// does, and one exit status and HTTP status per code.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as core from '../src/index.js';
import {
  ERROR_CODES, exitStatus, httpStatus, isErrorCode, isMeshfoldError, MeshfoldError, Projector, type ErrorCode,
} from '../src/index.js';

const invalidServiceEntry = {
  type: 'ADDED' as const,
  object: { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'bad', namespace: 'shop' }, spec: { hosts: [] } },
};

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/**
 * A second copy of this package's build, as an application gets when two dependencies each
 * bring their own: same code, distinct module instances and classes. It sits beside the build
 * so that its imports (rxjs) resolve as the original's do.
 */
async function withSecondCopy(use: (copy: typeof core) => Promise<void> | void): Promise<void> {
  const built = fileURLToPath(new URL('../src/', import.meta.url));
  const dir = await mkdtemp(join(built, '..', 'second-copy-'));
  try {
    await cp(built, dir, { recursive: true });
    await use(await import(pathToFileURL(join(dir, 'index.js')).href) as typeof core);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('isMeshfoldError recognises an error of another copy of the package, where instanceof does not', async () => {
  await withSecondCopy((copy) => {
    const theirs = thrownBy(() => new copy.Projector().apply(invalidServiceEntry));
    assert.not.ok(theirs instanceof MeshfoldError, 'the copy is a separate class');
    assert.ok(isMeshfoldError(theirs));
    assert.ok(isMeshfoldError(theirs, 'INPUT_INVALID_OBJECT'));
    assert.not.ok(isMeshfoldError(theirs, 'CLI_USAGE'));
    const ours = thrownBy(() => new Projector().apply(invalidServiceEntry));
    assert.ok(copy.isMeshfoldError(ours, 'INPUT_INVALID_OBJECT'));
  });
});

test('isMeshfoldError(err, code) matches only that code', () => {
  const err = new MeshfoldError('STORE_CORRUPT_MISSING', 'event seq 5 is missing', { seq: 5 });
  assert.ok(isMeshfoldError(err, 'STORE_CORRUPT_MISSING'));
  assert.not.ok(isMeshfoldError(err, 'STORE_CORRUPT_VALUE'));
});

test('isMeshfoldError refuses what is not a MeshfoldError with a registered code', () => {
  const errno = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  const unregistered = Object.assign(new Error('x'), { name: 'MeshfoldError', code: 'NOT_A_CODE' });
  const otherName = Object.assign(new Error('x'), { code: 'STORE_IO' });
  for (const value of [new Error('x'), errno, unregistered, otherName, { code: 'CLI_USAGE' }, null, undefined, 'CLI_USAGE']) {
    assert.not.ok(isMeshfoldError(value), String(value));
  }
});

test('cause is carried as ES2022 Error does: own, not enumerable, and not among the details', () => {
  const cause = new Error('LEVEL_IO_ERROR');
  const err = new MeshfoldError('STORE_IO', 'log L: append: disk full', { cause, seq: 3 });
  const native = new Error('x', { cause });
  assert.is(err.cause, cause);
  assert.equal(Object.getOwnPropertyDescriptor(err, 'cause'), Object.getOwnPropertyDescriptor(native, 'cause'));
  assert.equal(err.details, { seq: 3 });
  assert.not.ok('cause' in new MeshfoldError('STORE_IO', 'no cause'), 'no cause property unless one is given');
});

test('toLine is the CLI\'s one line: CODE: message', () => {
  assert.is(new MeshfoldError('CLI_USAGE', '--log DIR is required').toLine(), 'CLI_USAGE: --log DIR is required');
});

test('isErrorCode accepts exactly the registry\'s codes', () => {
  for (const code of Object.keys(ERROR_CODES)) assert.ok(isErrorCode(code), code);
  for (const value of ['NOT_A_CODE', 'cli_usage', 'toString', '__proto__', '', 42, undefined]) assert.not.ok(isErrorCode(value), String(value));
});

test('a usage error exits 2 and answers 400; every other code a command can end with exits 1', () => {
  assert.is(exitStatus('CLI_USAGE'), 2);
  assert.is(httpStatus('CLI_USAGE'), 400);
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    if (code !== 'CLI_USAGE') assert.is(exitStatus(code), 1, code);
  }
});

test('the request\'s mistakes are 4xx; a code the inspector never answers with would be the server\'s fault, 500', () => {
  const requestMistakes: ErrorCode[] = ['SERVE_NOT_FOUND', 'SERVE_METHOD_NOT_ALLOWED', 'SERVE_FORBIDDEN_HOST', 'SERVE_NOT_FOLLOWING', 'STORE_NOT_FOUND'];
  assert.equal(requestMistakes.map(httpStatus), [404, 405, 403, 404, 404]);
  assert.is(httpStatus('INTERNAL'), 500);
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    if (ERROR_CODES[code].http === null) assert.is(httpStatus(code), 500, code);
  }
});

test.run();
