// Damage done on purpose to a recorded log, through LevelDB directly (classic-level, as the store
// opens it), and what `meshfold` says about it. The store's layout (packages/store/src/keyspaces.ts,
// seqKey.ts, valueCodec.ts): sublevels `events` and `snapshots` with binary keys, the key of seq N
// is N as 8 big-endian bytes, and a value is a format-version byte (2), the CRC-32 of the msgpack
// body (4 bytes, big-endian), then the body.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { ClassicLevel } from 'classic-level';
import { Packr } from 'msgpackr';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  assertOneLineError, cliJson, cliOk, DEMO_STREAM, linesOf, MESHFOLD_BIN, runCli, tempDir, type TempDir,
} from './support/cli.js';

let dir: TempDir;
let n = 0;
let demo: string;

test.before(async () => {
  dir = await tempDir();
  demo = dir.join('demo');
  await cliOk(['record', '--log', demo, DEMO_STREAM]);
});
test.after(async () => { await dir?.remove(); });

/**
 * A fresh, closed log with the demo stream (11 events, and the snapshot at 11 that record writes
 * at its end): a copy of the directory recorded once, so each test can damage its own.
 */
async function recordDemo(): Promise<string> {
  const log = dir.join(`log-${++n}`);
  await cp(demo, log, { recursive: true });
  return log;
}

function seqKey(seq: number): Uint8Array {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(BigInt(seq));
  return key;
}

type Keyspace = 'events' | 'snapshots';

/** Opens the closed log directly and runs `fn` on one of its sublevels. */
async function withKeyspace<T>(log: string, keyspace: Keyspace, fn: (db: ReturnType<typeof sublevel>) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(log, { keyEncoding: 'view', valueEncoding: 'view', createIfMissing: false });
  await db.open();
  try {
    return await fn(sublevel(db, keyspace));
  } finally {
    await db.close();
  }
}

function sublevel(db: ClassicLevel<Uint8Array, Uint8Array>, name: Keyspace) {
  return db.sublevel<Uint8Array, Uint8Array>(name, { keyEncoding: 'view', valueEncoding: 'view' });
}

/** Overwrites the stored value of `seq` in `keyspace`, after checking the key is where we think. */
async function overwrite(log: string, keyspace: Keyspace, seq: number, bytes: number[] | null): Promise<void> {
  await withKeyspace(log, keyspace, async (space) => {
    const old = await space.get(seqKey(seq));
    assert.ok(old !== undefined && old.length > 0, `${keyspace} has a value at seq ${seq}`);
    if (bytes === null) await space.del(seqKey(seq));
    else await space.put(seqKey(seq), Uint8Array.from(bytes));
  });
}

// ---- the layout assumed above --------------------------------------------------------------------

/** A stored value of format 2 holding `body`, with its checksum right. */
function checksummedValue(body: Uint8Array): Uint8Array {
  const header = Buffer.alloc(5);
  header[0] = 2;
  header.writeUInt32BE(crc32(body), 1);
  return Buffer.concat([header, body]);
}

test('the demo log stores seq 5 (WorkloadEntry shop/vm-1) under the events sublevel, format byte 2 and the checksum', async () => {
  const log = await recordDemo();
  const value = await withKeyspace(log, 'events', (space) => space.get(seqKey(5)));
  assert.ok(value, 'a value at seq 5');
  assert.equal(checksummedValue(value!.subarray(5)), Buffer.from(value!), 'format version byte and checksum');
  assert.ok(Buffer.from(value!).includes('vm-1'), 'the value is the event of seq 5');
});

// ---- corrupt event values ------------------------------------------------------------------------

test('verify on a log whose event 5 is garbage: non-zero exit, one line naming seq 5 and a STORE_ code', async () => {
  const log = await recordDemo();
  await overwrite(log, 'events', 5, [0xde, 0xad, 0xbe, 0xef, 0x00, 0x13, 0x37, 0xff]);
  const r = await runCli(['verify', '--log', log]);
  assert.ok(r.code !== 0, 'verify fails');
  const lines = linesOf(r.stderr);
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^STORE_[A-Z_]+: /);
  assert.match(lines[0]!, /\bseq 5\b/);
  assert.not.match(r.stdout, /^ok/m, 'no ok line');
});

test('an unknown format version byte at seq 5 is STORE_UNKNOWN_FORMAT naming seq 5', async () => {
  const log = await recordDemo();
  await overwrite(log, 'events', 5, [0xee, 0x01, 0x02]);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_UNKNOWN_FORMAT');
  assert.match(msg, /\bseq 5\b/);
});

test('format byte 1 followed by bytes that are not msgpack is STORE_CORRUPT_VALUE naming seq 5', async () => {
  const log = await recordDemo();
  await overwrite(log, 'events', 5, [0x01, 0xc1, 0xc1, 0xc1]);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_CORRUPT_VALUE');
  assert.match(msg, /\bseq 5\b/);
});

test('valid msgpack that is not an event (a lone number) is STORE_CORRUPT_VALUE naming seq 5', async () => {
  const log = await recordDemo();
  await overwrite(log, 'events', 5, [0x01, 0x05]);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_CORRUPT_VALUE');
  assert.match(msg, /\bseq 5\b/);
});

test('a missing event 5 is STORE_CORRUPT_MISSING naming seq 5', async () => {
  const log = await recordDemo();
  await overwrite(log, 'events', 5, null);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_CORRUPT_MISSING');
  assert.match(msg, /\bseq 5\b/);
});

test('queries that must read the corrupt event fail the same way; points before it still answer', async () => {
  const log = await recordDemo();
  await overwrite(log, 'events', 5, [0x01, 0xc1, 0xc1, 0xc1]);
  const at4 = await cliJson<{ seq: number; endpoints: unknown[] }>(['endpoints', '--log', log, '--at', '4', '-o', 'json']);
  assert.is(at4.seq, 4);
  assert.match(assertOneLineError(await runCli(['endpoints', '--log', log, '--at', '6', '-o', 'json']), 'STORE_CORRUPT_VALUE'), /\bseq 5\b/);
  assert.match(assertOneLineError(await runCli(['events', '--log', log]), 'STORE_CORRUPT_VALUE'), /\bseq 5\b/);
});

// ---- corrupt snapshot ----------------------------------------------------------------------------

test('a corrupt snapshot is not trusted by queries: a STORE_CORRUPT_VALUE warning, and the answer rebuilt from the events', async () => {
  const log = await recordDemo();
  const expected = await cliJson(['endpoints', '--log', log, '-o', 'json']);
  await overwrite(log, 'snapshots', 11, [0x01, 0xc1, 0xc1]);
  const r = await runCli(['endpoints', '--log', log, '-o', 'json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), expected);
  assert.match(r.stderr, /STORE_CORRUPT_VALUE.*snapshot at seq 11/);
});

test('verify fails on a corrupt snapshot value, naming the snapshot\'s seq', async () => {
  const log = await recordDemo();
  await overwrite(log, 'snapshots', 11, [0x01, 0xc1, 0xc1]);
  const r = await runCli(['verify', '--log', log]);
  assert.ok(r.code !== 0, `verify must not pass a log with an undecodable value; stdout: ${r.stdout} stderr: ${r.stderr}`);
  assert.match(r.stderr, /STORE_CORRUPT_VALUE[^\n]*seq 11/);
});

test('verify fails with VERIFY_SNAPSHOT_MISMATCH when a snapshot says another hash than the replay gives', async () => {
  const log = await recordDemo();
  const packr = new Packr({ useRecords: false });
  await withKeyspace(log, 'snapshots', async (space) => {
    const value = (await space.get(seqKey(11)))!;
    const snapshot = packr.unpack(value.subarray(5)) as { seq: number; hash: string };
    assert.is(snapshot.seq, 11);
    assert.match(snapshot.hash, /^[0-9a-f]{64}$/);
    const forged = packr.pack({ ...snapshot, hash: '0'.repeat(64) });
    await space.put(seqKey(11), checksummedValue(forged));
  });
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'VERIFY_SNAPSHOT_MISMATCH', 1);
  assert.match(msg, /\bseq 11\b/);
});

// ---- damage to the files ------------------------------------------------------------------------

/** Two more WorkloadEntries, recorded after the demo as seqs 12 and 13. */
const TWO_MORE = `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-late-1, namespace: shop}
spec: {address: 10.9.0.1, labels: {app: late}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-late-2, namespace: shop}
spec: {address: 10.9.0.2, labels: {app: late}}
`;

/**
 * The demo log with seqs 12..13 recorded by a second `record`, and not opened since: LevelDB's
 * write-ahead log (the one `*.log` file) holds exactly that second recording.
 */
async function recordedTwice(): Promise<string> {
  const log = await recordDemo();
  const more = await dir.write(`more-${n}.yaml`, TWO_MORE);
  assert.match((await cliOk(['record', '--log', log, more])).stdout, 'seq 12..13');
  return log;
}

function fileIn(log: string, matches: (name: string) => boolean): string {
  const name = readdirSync(log).find(matches);
  assert.ok(name, `the file wanted among ${readdirSync(log).join(', ')}`);
  return join(log, name!);
}

function flipByte(path: string, at: number): void {
  assert.ok(at >= 0, `the byte to flip is in ${path}`);
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path, bytes);
}

test('a write-ahead log cut inside the batch of seqs 12..13: verify fails with STORE_CORRUPT_MISSING naming them', async () => {
  const log = await recordedTwice();
  const wal = fileIn(log, (name) => name.endsWith('.log'));
  const inBatch = readFileSync(wal).indexOf('vm-late-2');
  assert.ok(inBatch > 0, 'the write-ahead log holds event 13');
  truncateSync(wal, inBatch);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_CORRUPT_MISSING', 1);
  assert.match(msg, 'events seq 12..13 (2) are missing');
  // Queries say the same rather than answer from the shorter log.
  assertOneLineError(await runCli(['endpoints', '--log', log]), 'STORE_CORRUPT_MISSING', 1);
});

test('a byte flipped in the write-ahead log where event 13 lives: verify fails naming seqs 12..13 (LevelDB drops the whole batch)', async () => {
  const log = await recordedTwice();
  const wal = fileIn(log, (name) => name.endsWith('.log'));
  flipByte(wal, readFileSync(wal).indexOf('vm-late-2') + 3);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_CORRUPT_MISSING', 1);
  assert.match(msg, 'events seq 12..13 (2) are missing');
});

test('a byte flipped in a table where event 13 lives: verify fails with STORE_CORRUPT_VALUE naming seq 13', async () => {
  const log = await recordedTwice();
  // Opened once more without compression, LevelDB moves its write-ahead log into a table that
  // stores the values as they are, so the byte flipped is inside event 13's value.
  const db = new ClassicLevel(log, { compression: false });
  await db.open();
  await db.close();
  const tables = readdirSync(log).filter((name) => name.endsWith('.ldb')).map((name) => join(log, name));
  const table = tables.find((path) => readFileSync(path).includes('vm-late-2'));
  assert.ok(table, 'a table holds event 13');
  flipByte(table!, readFileSync(table!).indexOf('vm-late-2') + 3);
  const msg = assertOneLineError(await runCli(['verify', '--log', log]), 'STORE_CORRUPT_VALUE', 1);
  assert.match(msg, /event at seq 13: corrupt value, checksum mismatch/);
});

test('a corrupt CURRENT or MANIFEST: verify fails with STORE_CORRUPT_DATABASE, not STORE_IO', async () => {
  const current = await recordDemo();
  writeFileSync(join(current, 'CURRENT'), 'MANIFEST-0000');
  assert.match(assertOneLineError(await runCli(['verify', '--log', current]), 'STORE_CORRUPT_DATABASE', 1), 'CURRENT');
  const manifest = await recordDemo();
  flipByte(fileIn(manifest, (name) => name.startsWith('MANIFEST-')), 10);
  assertOneLineError(await runCli(['verify', '--log', manifest]), 'STORE_CORRUPT_DATABASE', 1);
});

test('a recorder whose LOCK was deleted while it ran fails with STORE_LOG_IN_USE instead of writing over a second recorder', async () => {
  const log = dir.join(`lock-${++n}`);
  // --serve: the recorder says when the log is open, and appends its input as soon as it pauses.
  const first = spawn(process.execPath, [MESHFOLD_BIN, 'record', '--log', log, '--serve', '--port', '0', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    let stderr = '';
    first.stderr!.setEncoding('utf8');
    const opened = new Promise<void>((resolve) => first.stderr!.on('data', (text: string) => {
      stderr += text;
      if (stderr.includes('meshfold inspector at')) resolve();
    }));
    const exited = once(first, 'close');
    await opened;
    rmSync(join(log, 'LOCK'));
    const second = await cliOk(['record', '--log', log, DEMO_STREAM]);
    assert.match(second.stdout, 'recorded 11 events (seq 1..11)');
    first.stdin!.end(TWO_MORE);
    const timeout = setTimeout(() => first.kill('SIGKILL'), 10_000);
    const [code] = await exited;
    clearTimeout(timeout);
    assert.is(code, 1, `the first recorder fails (stderr: ${stderr})`);
    assert.match(stderr, /^STORE_LOG_IN_USE: .*no longer holds the log's lock/m);
    const { events } = await cliJson<{ events: unknown[] }>(['events', '--log', log, '-o', 'json']);
    assert.is(events.length, 11, 'only the second recorder\'s events are in the log');
    await cliOk(['verify', '--log', log]);
  } finally {
    first.kill('SIGKILL');
  }
});

// ---- the state hash ----------------------------------------------------------------------------

test('verify\'s state hash does not depend on the key order of the recorded objects', async () => {
  const a = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se, namespace: ns, labels: {b: "2", a: "1"}}
spec:
  hosts: [h.example.com]
  ports: [{number: 80, name: http, protocol: HTTP, targetPort: 8080}]
  resolution: STATIC
  workloadSelector: {labels: {app: x, tier: web}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: we, namespace: ns, labels: {zeta: "1", alpha: "2"}}
spec: {address: 10.0.0.1, labels: {tier: web, app: x}, ports: {https: 443, http: 9090}, locality: r/z, weight: 3, serviceAccount: sa}
`;
  const b = `kind: ServiceEntry
spec:
  workloadSelector: {labels: {tier: web, app: x}}
  resolution: STATIC
  ports: [{protocol: HTTP, targetPort: 8080, name: http, number: 80}]
  hosts: [h.example.com]
metadata: {labels: {a: "1", b: "2"}, namespace: ns, name: se}
apiVersion: networking.istio.io/v1
---
spec: {serviceAccount: sa, weight: 3, locality: r/z, ports: {http: 9090, https: 443}, labels: {app: x, tier: web}, address: 10.0.0.1}
metadata: {labels: {alpha: "2", zeta: "1"}, namespace: ns, name: we}
kind: WorkloadEntry
apiVersion: networking.istio.io/v1
`;
  const hashOf = async (name: string, yaml: string) => {
    const log = dir.join(name);
    await cliOk(['record', '--log', log, await dir.write(`${name}.yaml`, yaml)]);
    const out = (await cliOk(['verify', '--log', log])).stdout;
    return /^state hash ([0-9a-f]{64})$/m.exec(out)?.[1];
  };
  const ha = await hashOf('order-a', a);
  assert.ok(ha, 'a hash');
  assert.is(await hashOf('order-b', b), ha);
});

// ---- a log in use --------------------------------------------------------------------------------

/** A node process that opens `log` with classic-level, prints `open`, and holds it until stdin ends. */
async function holdLog(log: string) {
  const classicLevel = pathToFileURL(createRequire(import.meta.url).resolve('classic-level')).href;
  const script = `
    const { ClassicLevel } = await import(process.argv[1]);
    const db = new ClassicLevel(process.argv[2], { createIfMissing: false });
    await db.open();
    process.stdout.write('open\\n');
    process.stdin.resume();
    process.stdin.on('end', () => db.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, classicLevel, log], { stdio: ['pipe', 'pipe', 'inherit'] });
  const closed = once(child, 'close');
  const opened = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => { if (line === 'open') resolve(); });
    void closed.then(() => reject(new Error('the holder exited before opening the log')));
  });
  await opened;
  return {
    async release() {
      child.stdin!.end();
      await closed;
      assert.is(child.exitCode, 0, 'holder closed cleanly');
    },
    kill() { if (child.exitCode === null) child.kill('SIGKILL'); },
  };
}

test('while another process holds the log: endpoints and record fail with one-line STORE_LOG_IN_USE; once released it answers', async () => {
  const log = await recordDemo();
  const holder = await holdLog(log);
  try {
    const msg = assertOneLineError(await runCli(['endpoints', '--log', log]), 'STORE_LOG_IN_USE', 1);
    assert.match(msg, 'in use');
    assertOneLineError(await runCli(['record', '--log', log, DEMO_STREAM]), 'STORE_LOG_IN_USE', 1);
    await holder.release();
  } finally {
    holder.kill();
  }
  const after = await cliJson<{ seq: number }>(['endpoints', '--log', log, '-o', 'json']);
  assert.is(after.seq, 11, 'nothing was appended by the refused record');
});

test.run();
