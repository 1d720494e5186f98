/**
 * `npm run bench [-- --quick]`: measures the budgets of the README and prints progress on stderr,
 * then one JSON object of figures on stdout. Throughput is always quoted next to a raw LevelDB
 * baseline measured in the same run, since absolute numbers on a shared machine mean little.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Projector, sizeOf } from '@meshfold/core';
import { DEFAULT_SNAPSHOT_EVERY, EventLog, replayOnto } from '@meshfold/store';
import { Packr } from 'msgpackr';
import { measureMemory } from './lib/bench/measureMemory.js';
import { rawReadSeconds, rawWriteAllSeconds, rawWriteSeconds, readRawEvents, readRawLog } from './lib/bench/rawLevel.js';
import { checkSeconds } from './lib/bench/checkCost.js';
import { operatorMicros } from './lib/bench/operatorCost.js';
import { relabelMicros } from './lib/bench/relabelCost.js';
import { churnEvents, kubectlJson } from './lib/scenario.js';
import { jetStream } from './lib/bench/jetStreamSection.js';
import { MESHFOLD_BIN } from './lib/bench/meshfoldBin.js';
import { timeTravelIn } from './lib/bench/timeTravelIn.js';
import { SERVING_HEAP } from '@meshfold/replay';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const size = quick
  ? { seedSes: 500, growthSes: 5000, churn: 50_000, churnSes: 200, churnWes: 1000, relabelSmall: 1000, relabelLarge: 10_000, relabels: 20_000, travels: 50, travelsWithout: 3, histories: 10, historiesWithout: 3, checkSes: 1000, operatorEvents: 20_000 }
  : { seedSes: 5000, growthSes: 50_000, churn: 1_000_000, churnSes: 1000, churnWes: 5000, relabelSmall: 1000, relabelLarge: 100_000, relabels: 20_000, travels: 200, travelsWithout: 9, histories: 40, historiesWithout: 9, checkSes: 10_000, operatorEvents: 200_000 };
const work = mkdtempSync(join(tmpdir(), 'meshfold-bench-'));
const say = (text: string) => process.stderr.write(`bench: ${text}\n`);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function seedScenario() {
  say(`memory: ${size.seedSes} ServiceEntries x 10 endpoints, inline and selector`);
  const inline = await measureMemory('inline', size.seedSes, 10);
  const selector = await measureMemory('selector', size.seedSes, 10);
  say(`memory: growth to ${size.growthSes} ServiceEntries`);
  const inline10x = await measureMemory('inline', size.growthSes, 10);
  const selector10x = await measureMemory('selector', size.growthSes, 10);
  return {
    inline: { bytesPerEndpoint: round(inline.bytesPerEndpoint, 1) },
    selector: { bytesPerEndpoint: round(selector.bytesPerEndpoint, 1) },
    growthRatio10x: round(Math.max(inline10x.retainedBytes / inline.retainedBytes, selector10x.retainedBytes / selector.retainedBytes)),
    growthRatio10xInline: round(inline10x.retainedBytes / inline.retainedBytes),
    growthRatio10xSelector: round(selector10x.retainedBytes / selector.retainedBytes),
  };
}

async function writeChurnFile(path: string) {
  const out = createWriteStream(path);
  for (const event of churnEvents({ events: size.churn, ses: size.churnSes, wes: size.churnWes })) {
    if (!out.write(kubectlJson(event))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * What any recorder must spend per event before meshfold's own work: parsing kubectl's text and
 * encoding the value. With the raw write, it bounds the record ratio from above.
 */
function recordFloor(sample: number) {
  const texts = [...churnEvents({ events: sample, ses: size.churnSes, wes: size.churnWes })].map(kubectlJson);
  const parsed = texts.map((t) => JSON.parse(t) as unknown);
  const packr = new Packr({ useRecords: false });
  // The best of a few passes: a floor is what the work costs when nothing else gets in its way,
  // and one pass on this shared machine varied by half between runs.
  let parseMicros = Infinity;
  let encodeMicros = Infinity;
  for (let pass = 0; pass < FLOOR_PASSES; pass++) {
    // Each parsed value is dropped at once, as a recorder does; holding them all would time the GC.
    let start = performance.now();
    let keys = 0;
    for (const text of texts) keys += Object.keys(JSON.parse(text) as object).length;
    parseMicros = Math.min(parseMicros, ((performance.now() - start) * 1000) / sample);
    if (keys !== 2 * sample) throw new Error('the floor parsed something other than watch events');
    start = performance.now();
    for (const value of parsed) packr.pack(value);
    encodeMicros = Math.min(encodeMicros, ((performance.now() - start) * 1000) / sample);
  }
  return { parseMicros, encodeMicros };
}

/** Passes of the record floor's parse and encode, of which the fastest counts. */
const FLOOR_PASSES = 3;

async function recordAndReplay(logDir: string) {
  const input = join(work, 'churn.json');
  say(`record: generating a ${size.churn}-event churn stream (kubectl format)`);
  await writeChurnFile(input);
  // Before recording, while the heap is clean: the floor is the best case for any recorder.
  const floor = recordFloor(Math.min(size.churn, 100_000));
  say('record: meshfold record (parse + validate + fold + append + snapshots)');
  let start = performance.now();
  // As users run it: the CLI's own process, with the heap it starts a recording with.
  await run(process.execPath, [MESHFOLD_BIN, 'record', '--log', logDir, input], { maxBuffer: 1 << 20 }); // throws unless it exits 0
  const recordSeconds = (performance.now() - start) / 1000;
  rmSync(input);

  say('record: raw classic-level batch writes of the same encoded events');
  const raw = await readRawEvents(logDir);
  const rawWrite = await rawWriteSeconds(join(work, 'raw'), raw);
  raw.length = 0;
  const rawWriteMicros = (rawWrite * 1e6) / size.churn;
  say('record: raw classic-level batch writes of every key and value the log holds (events, indexes, snapshots)');
  const rawAll = await readRawLog(logDir);
  const rawWriteAll = await rawWriteAllSeconds(join(work, 'raw-all'), rawAll);
  rawAll.length = 0;

  say('replay: read + decode + fold from seq 1');
  const log = await EventLog.openDir(logDir);
  start = performance.now();
  const replayed = await replayOnto(log, new Projector(), log.lastSeq);
  const replaySeconds = (performance.now() - start) / 1000;
  const events = log.lastSeq;
  await log.close();
  say('replay: raw iterate + msgpackr unpack');
  const rawRead = await rawReadSeconds(logDir);
  return {
    record: {
      eventsPerSec: Math.round(events / recordSeconds), rawLevelEventsPerSec: Math.round(events / rawWrite), ratio: round(rawWrite / recordSeconds),
      // The same, against writing all the bytes the log ends up with rather than the events alone.
      rawLevelAllBytesEventsPerSec: Math.round(events / rawWriteAll), ratioAllBytes: round(rawWriteAll / recordSeconds),
      // Parsing and encoding alone, next to the raw write: the best ratio any recorder could reach.
      floor: {
        jsonParseMicros: round(floor.parseMicros), msgpackEncodeMicros: round(floor.encodeMicros), rawWriteMicros: round(rawWriteMicros),
        ceilingRatio: round(rawWriteMicros / (floor.parseMicros + floor.encodeMicros + rawWriteMicros)),
      },
      // The record ratio as a share of that ceiling (issue 17's budget), from the unrounded figures.
      ofCeiling: round((rawWrite / recordSeconds) / (rawWriteMicros / (floor.parseMicros + floor.encodeMicros + rawWriteMicros))),
    },
    replay: { eventsPerSec: Math.round(events / replaySeconds), rawLevelEventsPerSec: Math.round(rawRead.count / rawRead.seconds), ratio: round(rawRead.seconds / replaySeconds) },
    liveObjects: sizeOf(replayed.state).serviceEntries + sizeOf(replayed.state).workloadEntries,
  };
}

async function timeTravel(logDir: string) {
  say(`timeTravel: state at ${size.travels} random seqs (a snapshot every ${DEFAULT_SNAPSHOT_EVERY} events, the default), then at ${size.travelsWithout} without snapshots, in a process of its own`);
  return timeTravelIn(logDir, size.travels, size.travelsWithout);
}

async function history(logDir: string) {
  say(`history: ${size.histories} random objects of the churn log, as /api/history answers, then ${size.historiesWithout} without the link index, in a process of its own with serve's young generation`);
  const child = fileURLToPath(new URL('./historyChild.js', import.meta.url));
  const { stdout } = await run(process.execPath, [`--max-semi-space-size=${SERVING_HEAP.semiSpaceMb}`, child, logDir, String(size.histories), String(size.historiesWithout)], { maxBuffer: 1 << 20 });
  type Figures = { p50Ms: number; p99Ms: number; objects: number; meanEntries: number };
  return JSON.parse(stdout) as Figures & { withoutLinkIndex: Figures };
}

function relabel() {
  say(`relabel: mean cost at ${size.relabelSmall} vs ${size.relabelLarge} ServiceEntries`);
  const { small, large } = relabelMicros(size.relabelSmall, size.relabelLarge, size.relabels);
  return { microsAt1k: round(small), microsAtLarge: round(large), largeServiceEntries: size.relabelLarge, costRatio100kVs1k: round(large / small) };
}

async function check() {
  say(`check: a config dump of ${size.checkSes} clusters x 10 endpoints equal to the truth, against parsing it alone`);
  const c = await checkSeconds(size.checkSes, 10);
  return {
    clusters: c.clusters, endpoints: c.endpoints, dumpMegabytes: round(c.megabytes, 1),
    parseSeconds: round(c.parse, 3), checkSeconds: round(c.check, 3), ratioToParse: round(c.check / c.parse),
  };
}

function operator() {
  say(`operator: ${size.operatorEvents} churn events through Projector.apply and through the project() operator`);
  const { apply, operator: piped } = operatorMicros(size.operatorEvents, size.churnSes, size.churnWes);
  // ratio > 1: the operator costs more per event than apply in a loop.
  return { applyMicros: round(apply), operatorMicros: round(piped), ratio: round(piped / apply) };
}

try {
  const started = performance.now();
  const seed = await seedScenario();
  const logDir = join(work, 'log');
  const { record, replay, liveObjects } = await recordAndReplay(logDir);
  const travel = await timeTravel(logDir);
  const historyFigures = await history(logDir);
  const relabelFigures = relabel();
  const checkFigures = await check();
  const operatorFigures = operator();
  const jetStreamFigures = await jetStream(quick, join(work, 'nats'), say);
  const cpu = cpus();
  process.stdout.write(`${JSON.stringify({
    quick,
    seedScenario: seed,
    record,
    replay,
    relabel: relabelFigures,
    operator: operatorFigures,
    timeTravel: travel,
    history: historyFigures,
    check: checkFigures,
    jetstream: jetStreamFigures,
    churn: { events: size.churn, serviceEntries: size.churnSes, workloadEntries: size.churnWes, liveObjectsAtEnd: liveObjects },
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version },
    seconds: round((performance.now() - started) / 1000, 1),
  }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
