/**
 * The README's first command: record the bundled demo stream (the istio#25678 relabel story and a
 * few more services) into a fresh local log, then inspect it the way an operator would.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '@meshfold/replay';

const root = fileURLToPath(new URL('../../', import.meta.url));
const log = `${root}.meshfold-demo/log`;
const stream = `${root}scripts/demo/demo-stream.json`;

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

rmSync(`${root}.meshfold-demo`, { recursive: true, force: true });
for (const [title, args] of steps) {
  process.stdout.write(`\n### ${title}\n$ meshfold ${args.join(' ').replaceAll(root, '')}\n`);
  const code = await main(args);
  if (code !== 0) {
    process.exitCode = code;
    break;
  }
}
