/**
 * Writes a scenario as a kubectl watch stream, so anyone can reproduce the benchmark figures
 * with `meshfold record`:
 *   node scripts/dist/generate.js --ses 5000 --endpoints 10 --mode inline > seed.json
 *   node scripts/dist/generate.js --churn 1000000 > churn.json
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import sade from 'sade';
import { churnEvents, kubectlJson, seedEvents, type SeedMode } from './lib/scenario.js';

sade('generate', true)
  .describe('Write a generated ServiceEntry/WorkloadEntry watch stream (kubectl -w -o json --output-watch-events format).')
  .option('--ses', 'ServiceEntries', 5000)
  .option('--endpoints', 'Endpoints per ServiceEntry (seed scenario)', 10)
  .option('--mode', 'inline or selector (seed scenario)', 'inline')
  .option('--churn', 'Instead of the seed scenario, a churn log of this many events')
  .option('--wes', 'WorkloadEntries in the churn log', 5000)
  .option('--out', 'File to write (default stdout)')
  .action(async (opts: Record<string, unknown>) => {
    const mode = String(opts.mode);
    if (mode !== 'inline' && mode !== 'selector') throw new Error(`--mode must be inline or selector, got ${mode}`);
    const events = opts.churn !== undefined
      ? churnEvents({ events: Number(opts.churn), ses: Number(opts.ses), wes: Number(opts.wes) })
      : seedEvents(Number(opts.ses), Number(opts.endpoints), mode as SeedMode);
    const out = opts.out ? createWriteStream(String(opts.out)) : process.stdout;
    for (const event of events) {
      if (!out.write(kubectlJson(event))) await once(out, 'drain');
    }
    if (out !== process.stdout) out.end();
  })
  .parse(process.argv);
