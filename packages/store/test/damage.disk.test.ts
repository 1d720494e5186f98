// Damage done to a log's files on disk, as a failing disk or an operator's mistake would, and
// the error the log opens or reads with. The log directory is LevelDB's: `*.log` is its
// write-ahead log (what a log closed once and never reopened holds), `*.ldb` its tables,
// CURRENT names the MANIFEST, which lists the tables; `meshfold-acked` is meshfold's own.
import { ClassicLevel } from 'classic-level';
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventLog } from '../src/index.js';
import { tempDir } from './support/tempDir.js';
import { addedRange, collect, failure } from './support/watchEvents.js';

const test = suite<{ dir: { path: string; remove: () => Promise<void> } }>('damage to a log on disk');
test.before.each(async (context) => { context.dir = await tempDir(); });
test.after.each(async ({ dir }) => { await dir.remove(); });

/** A closed log holding 30 events appended in three batches of 10, never reopened since. */
async function threeBatches(dir: string): Promise<void> {
  const log = await EventLog.openDir(dir);
  for (const first of [1, 11, 21]) await log.append(addedRange(first, 10));
  await log.close();
}

function fileEndingIn(dir: string, suffix: string, prefix = ''): string {
  const name = readdirSync(dir).find((file) => file.startsWith(prefix) && file.endsWith(suffix));
  assert.ok(name, `a ${suffix} file in ${readdirSync(dir).join(', ')}`);
  return join(dir, name!);
}

function flipByteAt(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path, bytes);
}

test('a write-ahead log cut short loses its last batch, and the open says which acknowledged seqs are missing', async ({ dir }) => {
  await threeBatches(dir.path);
  const wal = fileEndingIn(dir.path, '.log');
  truncateSync(wal, readFileSync(wal).length - 10);
  const err = await failure(EventLog.openDir(dir.path, { readOnly: true }));
  assert.is(err.code, 'STORE_CORRUPT_MISSING');
  assert.equal([err.details.seq, err.details.to], [21, 30]);
  assert.match(err.message, 'events seq 21..30 (10) are missing: the log is damaged (the log ends at seq 20 but acknowledged seq 30');
  // LevelDB has now rewritten what it recovered; the loss is still reported on every open.
  assert.is((await failure(EventLog.openDir(dir.path))).code, 'STORE_CORRUPT_MISSING');
});

test('a byte flipped in the write-ahead log drops that batch, and the open names the seqs it held', async ({ dir }) => {
  await threeBatches(dir.path);
  const wal = fileEndingIn(dir.path, '.log');
  flipByteAt(wal, readFileSync(wal).indexOf('we-25'));
  const err = await failure(EventLog.openDir(dir.path, { readOnly: true }));
  assert.is(err.code, 'STORE_CORRUPT_MISSING');
  assert.match(err.message, 'events seq 21..30 (10) are missing');
});

test('removing the acknowledged-seq marker accepts the loss: the log opens with what survived', async ({ dir }) => {
  await threeBatches(dir.path);
  const wal = fileEndingIn(dir.path, '.log');
  truncateSync(wal, readFileSync(wal).length - 10);
  rmSync(join(dir.path, 'meshfold-acked'));
  const log = await EventLog.openDir(dir.path);
  assert.is(log.lastSeq, 20);
  assert.equal(await log.append(addedRange(21, 1)), [21]);
  await log.close();
});

test('a damaged acknowledged-seq marker is STORE_CORRUPT_DATABASE naming it', async ({ dir }) => {
  await threeBatches(dir.path);
  flipByteAt(join(dir.path, 'meshfold-acked'), 11);
  const err = await failure(EventLog.openDir(dir.path, { readOnly: true }));
  assert.is(err.code, 'STORE_CORRUPT_DATABASE');
  assert.match(err.message, 'meshfold-acked is damaged');
});

test('a byte flipped in a table where an event value lives is STORE_CORRUPT_VALUE naming that seq', async ({ dir }) => {
  await threeBatches(dir.path);
  // Reopened once without compression, LevelDB moves its write-ahead log into a table whose
  // values are stored as they are, so the flipped byte is inside event 25's value.
  const db = new ClassicLevel(dir.path, { compression: false });
  await db.open();
  await db.close();
  const table = fileEndingIn(dir.path, '.ldb');
  const at = readFileSync(table).indexOf('we-25');
  assert.ok(at > 0, 'event 25 is in the table');
  flipByteAt(table, at + 3);
  const log = await EventLog.openDir(dir.path, { readOnly: true });
  try {
    const read: number[] = [];
    const err = await failure(async () => {
      for await (const event of log.read()) read.push(event.seq);
    });
    assert.is(err.code, 'STORE_CORRUPT_VALUE');
    assert.is(err.details.seq, 25);
    assert.match(err.message, 'event at seq 25: corrupt value, checksum mismatch');
    assert.is(read.length, 24);
  } finally {
    await log.close();
  }
});

test('a corrupt CURRENT or MANIFEST, or a MANIFEST that is gone, is STORE_CORRUPT_DATABASE', async ({ dir }) => {
  const damages: [string, (path: string) => void][] = [
    ['CURRENT without its newline', (path) => writeFileSync(join(path, 'CURRENT'), 'MANIFEST-0000')],
    ['CURRENT naming a missing MANIFEST', (path) => writeFileSync(join(path, 'CURRENT'), 'MANIFEST-999999\n')],
    ['a byte flipped in the MANIFEST', (path) => flipByteAt(fileEndingIn(path, '', 'MANIFEST-'), 10)],
  ];
  for (const [what, damage] of damages) {
    const path = join(dir.path, what.replace(/\W+/g, '-'));
    await threeBatches(path);
    damage(path);
    const err = await failure(EventLog.openDir(path, { readOnly: true }));
    assert.is(err.code, 'STORE_CORRUPT_DATABASE', `${what}: ${err.message}`);
  }
});

test('a log reopened and appended to opens again with every event: the marker follows each append', async ({ dir }) => {
  await threeBatches(dir.path);
  const log = await EventLog.openDir(dir.path);
  await log.append(addedRange(31, 5));
  await log.close();
  const again = await EventLog.openDir(dir.path, { readOnly: true });
  assert.is((await collect(again.read())).length, 35);
  await again.close();
});

test.run();
