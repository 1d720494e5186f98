import sade from 'sade';
import { exitStatus, isMeshfoldError, MeshfoldError } from '@meshfold/core';
import { processIo, type Io } from '../io/Io.js';
import { checkArguments } from './checkArguments.js';
import { commandTable, PROGRAM, type CommandSpec, type Opts } from './commandTable.js';

/** Runs one command line and resolves to its exit status; never calls process.exit itself. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const status = await run(argv, io);
  // Messages that could not be written (their reader went away) make the run a failure, even
  // when what the command was for (recording) went through.
  return io.outputLost ? Math.max(status, 1) : status;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    checkArguments(argv, commandTable);
    const parsed = program(commandTable, io).parse(['node', PROGRAM.name, ...argv], {
      lazy: true,
      unknown: (flag: string) => { throw new MeshfoldError('CLI_USAGE', `unknown option ${flag} (see meshfold --help)`); },
    }) as { handler?: (...args: unknown[]) => Promise<number>; args: unknown[] } | undefined;
    if (!parsed?.handler) return 0; // --help or --version was printed
    return await parsed.handler(...parsed.args);
  } catch (err) {
    // Anything uncoded is a bug: reported with its stack, so it can be found.
    const error = isMeshfoldError(err) ? err : new MeshfoldError('INTERNAL', err instanceof Error ? err.stack ?? err.message : String(err), { cause: err });
    io.err(`${error.toLine()}\n`);
    return exitStatus(error.code);
  }
}

/** sade's program, declared from the command table: its help, options and actions. */
function program(table: readonly CommandSpec[], io: Io) {
  const prog = sade(PROGRAM.name).version(PROGRAM.version).describe(PROGRAM.description);
  for (const option of PROGRAM.options) prog.option(option.flags, option.description, option.fallback);
  for (const spec of table) {
    prog.command(spec.usage).describe(spec.description);
    for (const option of spec.options) prog.option(option.flags, option.description, option.fallback);
    for (const example of spec.examples ?? []) prog.example(example);
    // sade calls an action with the positional arguments its usage names, then the options.
    prog.action((...args: unknown[]) => spec.run(args.slice(0, -1), args.at(-1) as Opts, io));
  }
  return prog;
}
