import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'nats';
import { Projector } from '@meshfold/core';
import { EventLog, replayOnto, type AppendEvent } from '@meshfold/store';
import { churnEvents, kubectlJson } from '../scenario.js';
import { MESHFOLD_BIN } from './meshfoldBin.js';
import { timeTravelIn } from './timeTravelIn.js';
import { rawConsumeSeconds, rawPublishSeconds, readStreamMessages } from './rawJetStream.js';

export interface JetStreamThroughput {
  events: number;
  /** `meshfold record` of a kubectl stream (parse, validate, fold, append, snapshots). */
  recordSeconds: number;
  /** `EventLog.append` of the same events in batches of 1000: the backend's write path alone. */
  appendSeconds: number;
  /** The raw client publishing the same messages (baseline of both). */
  rawPublishSeconds: number;
  /** `replayOnto` from seq 1, as `verify` and a resuming service read (the fastest of READ_PASSES). */
  replaySeconds: number;
  /** An ordered consumer reading the same messages and unpacking their bodies (the fastest of READ_PASSES). */
  rawConsumeSeconds: number;
  /** What the stream holds per event, every header and index of the server included. */
  storedBytesPerEvent: number;
  /** The state at random seqs of the recorded log (its snapshots, then the events after one), in a process of its own. */
  timeTravel: { p50Ms: number; p99Ms: number };
}

/** States loaded at random seqs of the recorded log, after 20 to warm up. */
const TRAVELS = 100;

/**
 * Passes of replay and of the raw consumer, taken in turn; the fastest of each counts. Both read
 * from servers that share the machine's two cores with everything else: with one pass each,
 * either side's time wandered so far between runs (README, JetStream) that the ratio said more
 * about the moment than about meshfold.
 */
const READ_PASSES = 3;


/**
 * Record and replay on a JetStream log of `replicas`, each against the raw client doing the
 * same with the same messages, on the same servers in the same run.
 */
export async function jetStreamThroughput(servers: string, replicas: number, churn: { events: number; ses: number; wes: number }, work: string, say: (text: string) => void): Promise<JetStreamThroughput> {
  const input = join(work, 'js-churn.json');
  const out = createWriteStream(input);
  for (const event of churnEvents(churn)) if (!out.write(kubectlJson(event))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  // The CLI creates a stream of one replica; a stream created first keeps its replicas.
  const location = `${servers}/mesh`;
  await (await EventLog.openNats(location, { replicas })).close();
  say(`jetstream R${replicas}: meshfold record of ${churn.events} events`);
  let start = performance.now();
  // As users run it, and as the LevelDB figure is taken: the CLI's own process.
  await promisify(execFile)(process.execPath, [MESHFOLD_BIN, 'record', '--log', location, input], { maxBuffer: 1 << 20 }); // throws unless it exits 0
  const recordSeconds = (performance.now() - start) / 1000;
  rmSync(input);

  say(`jetstream R${replicas}: raw publish of the same messages (window of 1000 unacknowledged)`);
  const messages = await readStreamMessages(servers, 'mesh');
  const rawPublish = await rawPublishSeconds(servers, 'raw', replicas, messages);
  const events = messages.length;
  messages.length = 0;

  say(`jetstream R${replicas}: EventLog.append of the same events, batches of 1000`);
  const recorded = await EventLog.openNats(location, { readOnly: true });
  const batches: AppendEvent[][] = [];
  for await (const batch of recorded.readBatches()) batches.push(batch.map(({ type, object, time }) => ({ type, object, time })));
  const appendLog = await EventLog.openNats(`${servers}/append`, { replicas });
  start = performance.now();
  for (const batch of batches) await appendLog.append(batch);
  const appendSeconds = (performance.now() - start) / 1000;
  await appendLog.close();
  batches.length = 0;

  say(`jetstream R${replicas}: replay from seq 1, then the raw ordered consumer, ${READ_PASSES} passes each, interleaved`);
  let replaySeconds = Infinity;
  let rawConsume = Infinity;
  for (let pass = 0; pass < READ_PASSES; pass++) {
    start = performance.now();
    await replayOnto(recorded, new Projector(), recorded.lastSeq);
    replaySeconds = Math.min(replaySeconds, (performance.now() - start) / 1000);
    const raw = await rawConsumeSeconds(servers, 'mesh');
    if (raw.count !== events) throw new Error(`the raw consumer read ${raw.count} of ${events} events`);
    rawConsume = Math.min(rawConsume, raw.seconds);
  }
  await recorded.close();

  say(`jetstream R${replicas}: state at ${TRAVELS} random seqs, in a process of its own`);
  const { p50Ms, p99Ms } = await timeTravelIn(location, TRAVELS, 0);

  const nc = await connect({ servers: servers.replace(/^nats:\/\//, '').split(',') });
  const info = await (await nc.jetstreamManager()).streams.info('mesh');
  await nc.close();
  return {
    events, recordSeconds, appendSeconds, rawPublishSeconds: rawPublish, replaySeconds, rawConsumeSeconds: rawConsume,
    storedBytesPerEvent: info.state.bytes / info.state.messages, timeTravel: { p50Ms, p99Ms },
  };
}
