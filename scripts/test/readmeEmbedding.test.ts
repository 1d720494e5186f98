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

test.run();
