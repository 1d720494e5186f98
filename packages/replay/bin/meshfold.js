#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm install` builds it (the root `prepare` script).
import { respawnWithHeap } from '../dist/src/cli/respawnWithHeap.js';

const argv = process.argv.slice(2);
// A recording command, and serve, run in a child process with a larger young generation (see there).
const respawned = respawnWithHeap(argv);
if (respawned) {
  process.exitCode = await respawned;
} else {
  const { main } = await import('../dist/src/cli/main.js');
  // A query whose reader went away (`meshfold events | head`) has nothing left to do: stop now, as
  // a query is not an error. A recorder keeps recording (see Io: its messages are dropped instead).
  if (!['record', 'watch'].includes(argv[0] ?? '')) {
    process.stdout.on('error', (err) => {
      if (err.code === 'EPIPE') process.exit(0);
    });
  }
  process.exitCode = await main(argv);
}
