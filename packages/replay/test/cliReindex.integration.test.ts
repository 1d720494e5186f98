import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Projector } from '@meshfold/core';
import { EventLog, type AppendEvent } from '@meshfold/store';
import { LinkBlockBuilder } from '../src/linkIndex/LinkBlockBuilder.js';
import { LINK_INDEX } from '../src/linkIndex/linkIndexName.js';
import { assertOneLineError, cliJson, cliOk, DEMO_STREAM, parseWatchStream, runCli, tempDir } from './support/cli.js';

const demo = parseWatchStream(readFileSync(DEMO_STREAM, 'utf8')) as AppendEvent[];

/** Each object's `history -o json`, one process after another (a LevelDB log has one opener at a time). */
async function histories(dir: string, keys: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const key of keys) out.push(await cliJson(['history', '--log', dir, key, '-o', 'json']));
  return out;
}

/** A log written through the store alone, as another writer (or an older meshfold) leaves one: events, no link index. */
async function appendRaw(dir: string, events: readonly AppendEvent[]): Promise<void> {
  const log = await EventLog.openDir(dir);
  await log.append(events);
  await log.close();
}

test('reindex builds the link index of a log recorded without one, from where it ends, and history answers the same', async () => {
  const tmp = await tempDir();
  try {
    const dir = tmp.join('log');
    await appendRaw(dir, demo.slice(0, 8));
    const keys = [...new Set(demo.map((e) => `${e.object.kind}/${e.object.metadata.namespace}/${e.object.metadata.name}`))];
    const before = await histories(dir, keys);

    assert.is((await cliOk(['reindex', '--log', dir])).stdout, 'indexed seq 1..8: the link index covers seq 1..8\n');
    assert.is((await cliOk(['reindex', '--log', dir])).stdout, 'ok: the link index already covers seq 1..8\n');
    assert.equal(await histories(dir, keys), before);

    await appendRaw(dir, demo.slice(8));
    assert.is((await cliOk(['reindex', '--log', dir])).stdout, `indexed seq 9..${demo.length}: the link index covers seq 1..${demo.length}\n`);
    const log = await EventLog.openDir(dir, { readOnly: true });
    try {
      assert.is(log.lastSeq, demo.length);
    } finally {
      await log.close();
    }
  } finally {
    await tmp.remove();
  }
});

test('an index verify finds wrong stays wrong through a plain reindex; reindex --rebuild builds it again and verify passes', async () => {
  const tmp = await tempDir();
  try {
    const dir = tmp.join('log');
    await appendRaw(dir, demo);
    // An index a faulty writer left: every event, none of the association changes.
    const log = await EventLog.openDir(dir);
    try {
      const builder = new LinkBlockBuilder();
      const projector = new Projector();
      for await (const batch of log.readBatches()) {
        for (const e of batch) builder.add(e.seq, e, { ...projector.replay(e, e.seq), deltas: [] });
      }
      await log.putIndexBlocks(LINK_INDEX, 1, log.lastSeq, builder.take());
    } finally {
      await log.close();
    }
    const found = assertOneLineError(await runCli(['verify', '--log', dir]), 'VERIFY_INDEX_MISMATCH', 1);
    assert.match(found, 'association of ServiceEntry');
    assert.match(found, 'meshfold reindex --rebuild');
    assert.is((await cliOk(['reindex', '--log', dir])).stdout, `ok: the link index already covers seq 1..${demo.length}\n`);
    assertOneLineError(await runCli(['verify', '--log', dir]), 'VERIFY_INDEX_MISMATCH', 1);
    assert.is((await cliOk(['reindex', '--log', dir, '--rebuild'])).stdout, `indexed seq 1..${demo.length}: the link index covers seq 1..${demo.length}\n`);
    assert.match((await cliOk(['verify', '--log', dir])).stdout, `link index: seq 1..${demo.length} holds what replay gives`);
  } finally {
    await tmp.remove();
  }
});

test('reindex of a directory without a log is STORE_NOT_FOUND and creates nothing', async () => {
  const tmp = await tempDir();
  try {
    const r = await runCli(['reindex', '--log', tmp.join('none')]);
    assertOneLineError(r, 'STORE_NOT_FOUND', 1);
    assert.not.ok(existsSync(tmp.join('none')));
  } finally {
    await tmp.remove();
  }
});

test.run();
