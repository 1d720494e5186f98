import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The first fenced code block after the `## Embedding` heading. */
function embeddingSnippet(readme: string): string {
  const section = readme.split(/^## Embedding$/m)[1];
  assert.ok(section !== undefined, 'the README has an "## Embedding" section');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section);
  assert.ok(block, 'the Embedding section has a ts code block');
  return block[1]!;
}

// The snippet is printed twice (the repository's front page, and @meshfold/core's README, which is
// what npm shows); packages/core/test/readmeExample.test.ts runs it. This keeps the two copies one.
test("@meshfold/core's README shows the root README's embedding snippet, unchanged", () => {
  const rootSnippet = embeddingSnippet(readFileSync(`${root}README.md`, 'utf8'));
  assert.match(rootSnippet, 'project(');
  assert.is(embeddingSnippet(readFileSync(`${root}packages/core/README.md`, 'utf8')), rootSnippet);
});

// readmeExample.test.ts pastes the snippet between two markers, indented, and its imports at the
// top: this holds the pasted copy to the printed one.
test('readmeExample.test.ts runs the snippet as printed', () => {
  const snippet = embeddingSnippet(readFileSync(`${root}README.md`, 'utf8')).split('\n');
  const runner = readFileSync(`${root}scripts/test/readmeExample.test.ts`, 'utf8');
  const pasted = runner.split('// ---- the README snippet, as printed there')[1]?.split('// ---- end of the snippet ----')[0];
  assert.ok(pasted !== undefined, 'the runner marks where the snippet is pasted');
  const body = snippet.filter((line) => !line.startsWith('import ')).join('\n').trim();
  assert.is(pasted.split('\n').slice(1).map((line) => line.replace(/^ {2}/, '')).join('\n').trim(), body);
  for (const line of snippet.filter((l) => l.startsWith('import '))) {
    const names = /\{ ([^}]*) \}/.exec(line)![1]!.split(', ');
    for (const name of names) assert.match(runner, new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from '${/from '([^']*)'/.exec(line)![1]}'`), `${name} is imported as the snippet imports it`);
  }
});

test.run();
