#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm install` builds it (the root `prepare` script).
import { main } from '../dist/src/cli/main.js';

// A query whose reader went away (`meshfold events | head`) has nothing left to do: stop now, as
// a query is not an error. A recorder keeps recording (see Io: its messages are dropped instead).
if (!['record', 'watch'].includes(process.argv[2] ?? '')) {
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
}
process.exitCode = await main(process.argv.slice(2));
