import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { associationsOf, identityOf, isMeshfoldError, Projector, type LoggedEvent } from '@meshfold/core';
import { watchStream } from '@meshfold/testing';
import { EventLog } from '@meshfold/store';
import { explainAssociation, explainAt, type WhyAnswer } from '../src/index.js';

const RUNS = Number(process.env.MESHFOLD_PROPERTY_RUNS ?? 1500) / 10;
const SES = ['a/s1', 'a/s2', 'b/s3', 'b/s1'];
const WES = ['a/w1', 'a/w2', 'b/w3', 'b/w1'];

/** The answer from a replay of the whole log, the way `why` worked before the object index. */
function byFullReplay(events: LoggedEvent[], se: string, we: string, seq: number): WhyAnswer {
  const projector = new Projector();
  let since: WhyAnswer['since'];
  let rejected: WhyAnswer['rejected'];
  for (const event of events.slice(0, seq)) {
    let object: string | undefined;
    try {
      object = identityOf(event.object, event.seq);
      const { deltas } = projector.replay(event, event.seq);
      if (deltas.some((d) => 'workloadEntry' in d && d.serviceEntry === se && d.workloadEntry === we)) {
        since = { seq: event.seq, time: event.time, event: `${event.type} ${object}` };
      }
    } catch (err) {
      if (!isMeshfoldError(err)) throw err;
      projector.skip(event.seq);
      if (object === `ServiceEntry/${se}` || object === `WorkloadEntry/${we}`) {
        rejected = { seq: event.seq, object, code: err.code, message: err.message };
      }
    }
  }
  const { associated, reasons } = explainAssociation(projector.state, se, we);
  return { seq, serviceEntry: se, workloadEntry: we, associated, ...(since && { since }), reasons, ...(rejected && { rejected }) };
}

test('why from the per-object index answers exactly as a replay of the whole log, invalid events included', async () => {
  await fc.assert(fc.asyncProperty(watchStream(30), fc.nat(), async (stream, pick) => {
    const log = await EventLog.openMemory();
    try {
      await log.append(stream); // raw: invalid events reach this log, as from an older projector
      const events: LoggedEvent[] = [];
      for await (const batch of log.readBatches()) events.push(...batch);
      const seq = pick % (log.lastSeq + 1);
      for (const se of SES) {
        for (const we of WES) assert.equal(await explainAt(log, se, we, seq), byFullReplay(events, se, we, seq), `${se} ${we} at ${seq}`);
      }
    } finally {
      await log.close();
    }
  }), { numRuns: RUNS });
});

test('why agrees with associations on any state: associated exactly for the pairs listed, and then with no reason against', () => {
  fc.assert(fc.property(watchStream(30), (stream) => {
    const projector = new Projector();
    for (const event of stream) {
      try { projector.apply(event); } catch (err) { if (!isMeshfoldError(err)) throw err; }
    }
    const listed = new Set(associationsOf(projector.state).map((a) => `${a.serviceEntry} ${a.workloadEntry}`));
    for (const se of SES) {
      for (const we of WES) {
        const { associated, reasons } = explainAssociation(projector.state, se, we);
        assert.is(associated, listed.has(`${se} ${we}`), `${se} ${we}: why says ${associated}`);
        assert.is(reasons.length === 0, associated, `${se} ${we}: ${reasons.map((r) => r.code).join(', ')}`);
      }
    }
  }), { numRuns: RUNS * 5 });
});

test.run();
