import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMeshfoldError } from '@meshfold/core';
import { arity, booleanFlags, checkArguments } from '../src/cli/checkArguments.js';
import { commandName, commandTable } from '../src/cli/commandTable.js';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/io/Io.js';

/** The usage error checkArguments throws for `argv`, or undefined when it lets it through. */
function refusal(argv: readonly string[]): string | undefined {
  try {
    checkArguments(argv, commandTable);
    return undefined;
  } catch (err) {
    if (!isMeshfoldError(err)) throw err;
    assert.is(err.code, 'CLI_USAGE');
    return err.message;
  }
}

test('argument counts are read from the usage sade shows', () => {
  // The counts the hand-written table held before it was derived, and what the README documents.
  const expected: Record<string, [number, number]> = {
    record: [0, Infinity], watch: [0, 0], events: [0, 0], endpoints: [0, 0], associations: [0, 0], diff: [2, 2],
    history: [1, 1], why: [2, 2], check: [1, Infinity], verify: [0, 0], reindex: [0, 0], serve: [0, 0],
  };
  assert.equal(Object.fromEntries(commandTable.map((spec) => [commandName(spec), arity(spec)])), expected);
});

test('each command takes from min to max arguments, whichever of its flags come first', () => {
  for (const spec of commandTable) {
    const [min, max] = arity(spec);
    const name = commandName(spec);
    const flags = spec.options.filter((o) => typeof o.fallback === 'boolean').map((o) => o.flags.split(/,\s*/).at(-1)!);
    const args = (n: number) => Array.from({ length: n }, (_, i) => `arg${i}`);
    // A flag that takes no value must not swallow the argument after it.
    assert.is(refusal([name, ...flags, ...args(min)]), undefined, `${name} ${flags.join(' ')} with ${min} arguments`);
    if (min > 0) assert.match(refusal([name, ...flags, ...args(min - 1)]) ?? '', `${name} takes `);
    if (max !== Infinity) assert.match(refusal([name, ...flags, ...args(max + 1)]) ?? '', `${name} takes `);
  }
});

test('options that take a value take the next argument, in any command', () => {
  assert.is(refusal(['endpoints', '--at', '5', '--host', 'a.example.com', '-o', 'json']), undefined);
  assert.is(refusal(['why', '--at', '8', 'ns/se', 'ns/we']), undefined);
  assert.is(refusal(['why', '--at=8', 'ns/se', 'ns/we']), undefined);
});

test('every boolean option of the table is a flag to the checks, and no option that takes a value is', () => {
  const flags = booleanFlags(commandTable);
  for (const flag of ['--delete', '--sync', '--fsync', '--serve', '--verbose', '--expose', '--follow', '-A', '--all-namespaces', '--help', '-v']) {
    assert.ok(flags.has(flag), flag);
  }
  for (const flag of ['--log', '--at', '--host', '--port', '-o', '--output', '-n', '--namespace', '--dump', '--settle']) assert.not.ok(flags.has(flag), flag);
});

test('unknown and missing commands name every command, in --help order', () => {
  const names = commandTable.map(commandName).join(', ');
  assert.is(refusal([]), `no command given; commands: ${names} (see meshfold --help)`);
  assert.is(refusal(['frobnicate']), `unknown command "frobnicate"; commands: ${names}`);
  assert.is(refusal(['check']), 'check takes 1 to Infinity arguments (DUMP…), got 0');
  assert.is(refusal(['diff', '1']), 'diff takes 2 arguments (FROM TO), got 1: 1');
});

test('serve --expose --host ADDR reaches the command (--expose used to swallow --host as its value)', async () => {
  let err = '';
  const io: Io = { out: () => {}, err: (t) => { err += t; }, interactive: false, stdin: (async function* () {})() };
  // No --log: the command itself refuses, after the arguments and the listening options passed.
  assert.is(await main(['serve', '--expose', '--host', '0.0.0.0'], io), 2);
  assert.is(err, 'CLI_USAGE: --log DIR is required\n');
});

test.run();
