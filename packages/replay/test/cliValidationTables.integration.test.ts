// The validation tables in conformance/validation, through the CLI: every case is one document of a
// file given to `meshfold record`, which must reject exactly the documents a cluster rejects (each
// reported with its document index) and record every other one.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// Types only (erased): the tables are read by core's loader, as its library test reads them.
import type * as Tables from '../../core/test/support/validationCases.js';
import { cliJson, REPO_ROOT, runCli, tempDir } from './support/cli.js';

const tables = await import(
  pathToFileURL(join(REPO_ROOT, 'packages', 'core', 'dist', 'test', 'support', 'validationCases.js')).href
) as typeof Tables;

test('meshfold record rejects exactly the table cases a cluster rejects and records the others', async () => {
  const cases = tables.loadValidationCases(tables.validationDir(REPO_ROOT));
  const dir = await tempDir();
  try {
    const file = dir.join('cases.ndjson');
    await writeFile(file, cases.map((c) => JSON.stringify(c.object)).join('\n') + '\n');
    const log = dir.join('log');
    const r = await runCli(['record', '--log', log, file], { timeoutMs: 60_000 });
    const rejected = new Set<number>();
    for (const line of r.stderr.split('\n')) {
      const m = /: document (\d+) \(line \d+\): /.exec(line);
      if (m) rejected.add(Number(m[1]));
    }
    const wrong = cases.flatMap((c, i) => {
      const verdict = rejected.has(i) ? 'reject' : 'accept';
      return verdict === c.expect ? [] : [`${c.label} (${c.source}): expected ${c.expect}, meshfold record did ${verdict}`];
    });
    assert.equal(wrong, [], `${wrong.length} of ${cases.length} cases judged differently:\n${wrong.join('\n')}`);
    assert.is(r.code, 1, 'some cases are rejected, so the exit status is 1');
    const { events } = await cliJson<{ events: unknown[] }>(['events', '--log', log, '-o', 'json']);
    assert.is(events.length, cases.filter((c) => c.expect === 'accept').length, 'every accepted case is one event');
  } finally {
    await dir.remove();
  }
});

test.run();
