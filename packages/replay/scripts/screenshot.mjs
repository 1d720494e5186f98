// Regenerates docs/inspector.png: the inspector on the demo log at seq 8 (the istio#25678
// relabel), with test-we's history open and the why panel answering for test-se/test-we.
// Same browser setup as test/serveBrowser.integration.test.ts. Run after `npm run build`:
//   node packages/replay/scripts/screenshot.mjs [out.png]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventLog } from '@meshfold/store';
import { chromium } from 'playwright-core';
import { main } from '../dist/src/cli.js';
import { startInspector } from '../dist/src/serve/startInspector.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = process.argv[2] ?? join(root, 'docs/inspector.png');
const work = mkdtempSync(join(tmpdir(), 'meshfold-screenshot-'));
const quiet = { out: () => {}, err: (t) => process.stderr.write(t), interactive: false, stdin: [] };

if (await main(['record', '--log', join(work, 'log'), join(root, 'scripts/demo/demo-stream.json')], quiet) !== 0) process.exit(1);
const log = await EventLog.openDir(join(work, 'log'), { createIfMissing: false });
const inspector = await startInspector(log, { port: 0 });
const browser = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${inspector.url}#seq=8`);
  await page.locator('[data-testid="associations"][data-seq="8"]').waitFor();
  await page.locator('[data-testid="event"][data-seq="8"] button').click();
  await page.locator('[data-testid="history-entry"][data-seq="8"].selected').waitFor();
  await page.getByTestId('why-se').fill('default/test-se');
  await page.getByTestId('why-we').fill('default/test-we');
  await page.getByTestId('why-ask').click();
  await page.locator('[data-testid="why-result"][data-seq="8"]').waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await inspector.close();
  await log.close();
  rmSync(work, { recursive: true, force: true });
}
