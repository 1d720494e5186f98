import { MeshfoldError } from '@meshfold/core';

/** Positional arguments each command takes: [min, max]. */
const ARITY: Record<string, [number, number]> = {
  record: [0, Infinity], events: [0, 0], endpoints: [0, 0], associations: [0, 0], diff: [2, 2],
  history: [1, 1], why: [2, 2], verify: [0, 0], serve: [0, 0], watch: [0, 0], check: [1, Infinity],
};
const USAGE: Record<string, string> = {
  diff: 'FROM TO', check: 'DUMP…', history: 'KIND/NAMESPACE/NAME', why: 'SE_NAMESPACE/NAME WE_NAMESPACE/NAME',
};
const BOOLEAN_FLAGS = new Set(['--delete', '--follow', '--serve', '--verbose', '--sync', '-A', '--all-namespaces', '-h', '--help', '-v', '--version']);

/**
 * Checks the command and its positional arguments before sade sees them: sade reports these
 * mistakes on several lines and exits by itself, and meshfold's errors are one coded line.
 */
export function checkArguments(argv: readonly string[]): void {
  if (argv.some((a) => a === '-h' || a === '--help' || a === '-v' || a === '--version')) return;
  const [command, ...rest] = positionals(argv);
  if (command === undefined) throw new MeshfoldError('CLI_USAGE', `no command given; commands: ${Object.keys(ARITY).join(', ')} (see meshfold --help)`);
  const arity = ARITY[command];
  if (!arity) {
    throw new MeshfoldError('CLI_USAGE', `unknown command ${JSON.stringify(command)}; commands: ${Object.keys(ARITY).join(', ')}`);
  }
  const [min, max] = arity;
  if (rest.length < min || rest.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new MeshfoldError('CLI_USAGE', `${command} takes ${wanted} argument${max === 1 ? '' : 's'}${USAGE[command] ? ` (${USAGE[command]})` : ''}, got ${rest.length}${rest.length ? `: ${rest.join(' ')}` : ''}`);
  }
}

/** Arguments that are not options or option values; `-` (stdin) counts as one. */
function positionals(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || !arg.startsWith('-')) out.push(arg);
    else if (!arg.includes('=') && !BOOLEAN_FLAGS.has(arg)) i++; // the option's value
  }
  return out;
}
