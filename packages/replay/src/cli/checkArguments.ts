import { MeshfoldError } from '@meshfold/core';
import { commandName, PROGRAM, type CommandSpec, type OptionSpec } from './commandTable.js';

/** Flags sade itself adds to every command: they take no value. */
const SADE_FLAGS = ['-h', '--help', '-v', '--version'];

/**
 * Checks the command and its positional arguments before sade sees them: sade reports these
 * mistakes on several lines and exits by itself, and meshfold's errors are one coded line. The
 * counts and the options that take no value come from the same table sade is built from.
 */
export function checkArguments(argv: readonly string[], table: readonly CommandSpec[]): void {
  if (argv.some((a) => a === '-h' || a === '--help' || a === '-v' || a === '--version')) return;
  const names = table.map(commandName);
  const [command, ...rest] = positionals(argv, booleanFlags(table));
  if (command === undefined) throw new MeshfoldError('CLI_USAGE', `no command given; commands: ${names.join(', ')} (see meshfold --help)`);
  const spec = table.find((s) => commandName(s) === command);
  if (!spec) {
    throw new MeshfoldError('CLI_USAGE', `unknown command ${JSON.stringify(command)}; commands: ${names.join(', ')}`);
  }
  const [min, max] = arity(spec);
  if (rest.length < min || rest.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new MeshfoldError('CLI_USAGE', `${command} takes ${wanted} argument${max === 1 ? '' : 's'}${spec.argNames ? ` (${spec.argNames})` : ''}, got ${rest.length}${rest.length ? `: ${rest.join(' ')}` : ''}`);
  }
}

/**
 * [min, max] positional arguments, read from the usage as sade reads it: each `<name>` is
 * required, each `[name]` optional, a `...` one takes any number; `minArgs` raises the minimum.
 */
export function arity(spec: CommandSpec): [number, number] {
  const args = spec.usage.split(/\s+/).slice(1);
  const required = args.filter((a) => a.startsWith('<')).length;
  const max = args.some((a) => a.includes('...')) ? Infinity : args.length;
  return [Math.max(required, spec.minArgs ?? 0), max];
}

/** Every spelling of every option that takes no value (a boolean default), in any command. */
export function booleanFlags(table: readonly CommandSpec[]): Set<string> {
  const options: OptionSpec[] = [...PROGRAM.options, ...table.flatMap((s) => s.options)];
  const spellings = options.filter((o) => typeof o.fallback === 'boolean').flatMap((o) => o.flags.split(/,\s*/));
  return new Set([...spellings, ...SADE_FLAGS]);
}

/** Arguments that are not options or option values; `-` (stdin) counts as one. */
function positionals(argv: readonly string[], flags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || !arg.startsWith('-')) out.push(arg);
    else if (!arg.includes('=') && !flags.has(arg)) i++; // the option's value
  }
  return out;
}
