import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog, ProjectedLog } from '@meshfold/store';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { readDumpFile } from '../src/check/readDumpFile.js';
import { startInspector } from '../src/serve/startInspector.js';
import { demoEvents, recordDemo, removeTempPaths, runMain, tempPath } from './support/inspectorFixture.js';

/** Debian's chromium, which `.ci/run` installs; playwright-core brings no browser of its own. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SE = 'default/test-se';
const WE = 'default/test-we';
const PAIR = `[data-testid="association"][data-se="${SE}"][data-we="${WE}"]`;

let browser: BrowserContext;
let folder: string;

/** A fresh profile per run (Playwright passes it as --user-data-dir). */
async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(await tempPath('meshfold-chromium-'), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1440, height: 900 },
  });
}

/** A page that fails the test on any script error or failed request. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => { if (!r.url().includes('/api/stream')) problems.push(`request failed: ${r.url()}`); });
  await page.goto(url);
  return { page, problems };
}

/** Moves the slider as a hand would (input, then change) and waits until the tables show `seq`. */
async function scrubTo(page: Page, seq: number): Promise<void> {
  await page.getByTestId('scrubber').fill(String(seq));
  await page.locator(`[data-testid="associations"][data-seq="${seq}"]`).waitFor();
  await page.locator(`[data-testid="endpoints"][data-seq="${seq}"]`).waitFor();
}

if (!existsSync(CHROMIUM)) {
  console.log(`\n  serveBrowser: SKIPPED — ${CHROMIUM} does not exist; install Debian's chromium (apt-get install chromium) to run the browser tests\n`);
  test.skip('the inspector page in headless Chromium');
} else {
  test.before(async () => {
    folder = await tempPath('meshfold-browser-', { keep: true });
    browser = await launch();
  });

  test.after(async () => {
    await browser?.close();
    await removeTempPaths(); // the profile and the logs; the screenshot's folder stays
  });

  test('scrubbing over the istio#25678 relabel: the association is shown at seq 7 and gone at seq 8', async () => {
    const log = await EventLog.openDir(await recordDemo(), { createIfMissing: false });
    const inspector = await startInspector(log, { port: 0, warn: () => {} });
    try {
      const { page, problems } = await open(inspector.url);
      await page.locator('[data-testid="associations"][data-seq="11"]').waitFor();

      await scrubTo(page, 7);
      assert.is(await page.locator(PAIR).count(), 1, 'test-se selects test-we at seq 7');
      assert.ok(await page.locator(PAIR).isVisible());
      assert.is(await page.locator('[data-testid="endpoint"][data-workload="WorkloadEntry/default/test-we"]').count(), 1);

      await scrubTo(page, 8);
      assert.is(await page.locator(PAIR).count(), 0, 'the relabel at seq 8 removes the association');
      assert.is(await page.locator('[data-testid="endpoint"][data-workload="WorkloadEntry/default/test-we"]').count(), 0, 'and its endpoint');
      const removed = page.locator('[data-testid="diff"][data-from="7"][data-to="8"] [data-change="removed"][data-kind="association"]');
      assert.match(await removed.innerText(), /default\/test-se → default\/test-we/, 'the diff against seq 7 shows the removal');
      assert.ok((await page.locator('[data-testid="event"][data-seq="8"]').getAttribute('class'))?.includes('selected'));
      assert.match(page.url(), /#seq=8$/);

      // Clicking the object opens its history; asking why explains the relabel.
      await page.locator('[data-testid="event"][data-seq="8"] button').click();
      await page.locator('[data-testid="history-entry"][data-seq="8"].selected').waitFor();
      assert.is(await page.locator('tbody[data-object="WorkloadEntry/default/test-we"] [data-testid="history-entry"]').count(), 4);
      await page.getByTestId('why-se').fill(SE);
      await page.getByTestId('why-we').fill(WE);
      await page.getByTestId('why-ask').click();
      await page.locator('[data-testid="why-result"][data-seq="8"][data-associated="false"]').waitFor();
      assert.match(await page.getByTestId('why-result').innerText(), /selector wants ready=true; the WorkloadEntry has ready=false/);

      const screenshot = join(folder, 'inspector-seq8.png');
      await page.screenshot({ path: screenshot });
      assert.ok(statSync(screenshot).size > 10_000, 'a screenshot of the page');
      console.log(`\n  serveBrowser: screenshot ${screenshot}`);
      assert.equal(problems, []);
    } finally {
      await inspector.close();
      await log.close();
    }
  });

  test('serve --dump: a dump that kept the endpoint the relabel at seq 8 removed shows it highlighted as stale, linked to its event and why', async () => {
    const dir = await recordDemo();
    const eds = await runMain(['endpoints', '--log', dir, '--at', '7', '-o', 'eds']); // what the proxy held before the relabel
    assert.is(eds.code, 0, eds.err);
    const file = join(await tempPath('meshfold-dump-'), 'proxy.json');
    await writeFile(file, eds.out);
    const log = await EventLog.openDir(dir, { createIfMissing: false });
    const inspector = await startInspector(log, { port: 0, warn: () => {}, dump: await readDumpFile(file) });
    try {
      const { page, problems } = await open(`${inspector.url}#seq=7`);
      await page.locator('[data-testid="drift"][data-seq="7"]').waitFor();
      assert.match(await page.getByTestId('drift').innerText(), /matches the truth/);

      await scrubTo(page, 8);
      const stale = page.locator('[data-testid="drift"][data-seq="8"] [data-testid="drift-item"][data-kind="stale"][data-address="8.8.8.8:8080"]');
      await stale.waitFor();
      assert.ok(await stale.isVisible(), 'the stale endpoint is shown in the endpoints panel');
      assert.match(await stale.getByTestId('drift-why').innerText(), /WorkloadEntry default\/test-we relabelled at seq 8: selector wants ready=true; the WorkloadEntry has ready=false/);
      assert.match(await stale.innerText(), /istio#25678/);
      assert.is(await stale.getByTestId('drift-cause').innerText(), 'seq 8');

      await scrubTo(page, 11); // test-we is back: the proxy's endpoint is right again
      await page.locator('[data-testid="drift"][data-seq="11"]').waitFor();
      assert.is(await page.locator('[data-testid="drift-item"][data-address="8.8.8.8:8080"]').count(), 0);
      // The sibling httpbin lost at seq 9 is still in the proxy: its cause links to that event.
      await page.locator('[data-testid="drift-item"][data-address="3.3.3.3:8080"]').getByTestId('drift-cause').click();
      await page.locator('[data-testid="endpoints"][data-seq="9"]').waitFor();
      assert.match(page.url(), /#seq=9$/);
      assert.equal(problems, []);
    } finally {
      await inspector.close();
      await log.close();
    }
  });

  test('following a live log from its first event: appended events move a page that shows the latest point', async () => {
    const log = await EventLog.openMemory();
    const projected = await ProjectedLog.open(log);
    const events = await demoEvents();
    const inspector = await startInspector(log, { port: 0, follow: true, warn: () => {} });
    try {
      const { page, problems } = await open(inspector.url);
      await page.locator('[data-testid="associations"][data-seq="0"]').waitFor();
      await page.locator('[data-testid="live"]:has-text("live")').waitFor();

      await projected.record(events.slice(0, 7)); // as record --serve appends a kubectl stream
      await page.locator('[data-testid="associations"][data-seq="7"]').waitFor();
      assert.is(await page.locator(PAIR).count(), 1);

      await projected.record([events[7]!]); // the relabel
      await page.locator('[data-testid="associations"][data-seq="8"]').waitFor();
      assert.is(await page.getByTestId('last-seq').innerText(), '8');
      assert.is(await page.locator(PAIR).count(), 0);
      assert.is(await page.locator('[data-testid="timeline"] [data-seq="8"]').count(), 1, 'the timeline shows the new event');
      assert.equal(problems, []);
    } finally {
      await inspector.close();
      await log.close();
    }
  });
}

test.run();
