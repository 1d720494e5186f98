/**
 * The README's first command: record the bundled demo stream (the istio#25678 relabel story and a
 * few more services) into a fresh local log, then inspect it the way an operator would.
 * `--log LOCATION` records into that log instead (`nats://127.0.0.1:4222/DEMO`: a JetStream
 * stream), which must not hold events yet: the steps name seqs of the demo stream.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMeshfoldError } from '@meshfold/core';
import { main } from '@meshfold/replay';
import { EventLog } from '@meshfold/store';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stream = `${root}scripts/demo/demo-stream.json`;
const given = process.argv.indexOf('--log');
const log = given >= 0 ? process.argv[given + 1] : `${root}.meshfold-demo/log`;
if (!log) {
  process.stderr.write('usage: npm run demo [-- --log DIR|nats://host:port/STREAM]\n');
  process.exit(2);
}

const steps: [string, string[]][] = [
  ['Record the demo watch stream', ['record', '--log', log, stream]],
  ['The events, in log order', ['events', '--log', log]],
  ['Endpoints at seq 7, before the relabel', ['endpoints', '--log', log, '--at', '7']],
  ['What the relabel at seq 8 changed (istio#25678: the endpoint must go)', ['diff', '--log', log, '7', '8']],
  ['Why test-we is no longer behind test-se at seq 8', ['why', '--log', log, 'default/test-se', 'default/test-we', '--at', '8']],
  ['httpbin keeps its mapped port after losing a sibling endpoint at seq 9 (istio#25309)', ['endpoints', '--log', log, '--host', 'httpbin.com']],
  ['The history of test-we', ['history', '--log', log, 'WorkloadEntry/default/test-we']],
  ['Replay and verify the whole log', ['verify', '--log', log]],
];

if (given < 0) rmSync(`${root}.meshfold-demo`, { recursive: true, force: true });
else if (await heldEvents(log) > 0) {
  // Never deletes a log it was given: it may be someone's.
  process.stderr.write(`${log} already holds events; the demo needs an empty log: give another stream name or directory\n`);
  process.exit(2);
}
for (const [title, args] of steps) {
  process.stdout.write(`\n### ${title}\n$ meshfold ${args.join(' ').replaceAll(root, '')}\n`);
  const code = await main(args);
  if (code !== 0) {
    process.exitCode = code;
    break;
  }
}

/** The events a log holds; 0 when there is no log there yet. */
async function heldEvents(location: string): Promise<number> {
  try {
    const existing = await EventLog.open(location, { readOnly: true });
    const held = existing.lastSeq;
    await existing.close();
    return held;
  } catch (err) {
    if (isMeshfoldError(err) && err.code === 'STORE_NOT_FOUND') return 0;
    throw err;
  }
}
