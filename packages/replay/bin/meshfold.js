#!/usr/bin/env node
// The CLI is compiled TypeScript; `npm install` builds it (the root `prepare` script).
import { main } from '../dist/src/cli.js';

process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0); // `meshfold events | head` is not an error
  throw err;
});
process.exitCode = await main(process.argv.slice(2));
