import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { followerLag } from './followerLag.js';
import { jetStreamThroughput } from './jetStreamThroughput.js';
import { haveNatsServer, startCluster } from './natsCluster.js';

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/**
 * The bench's JetStream figures, on a three-node R3 cluster the bench runs itself on loopback
 * (the recommended topology): record and replay as ratios to the raw client moving the same
 * messages, and how far behind the recorder's acknowledgement a follower in another process folds.
 */
export async function jetStream(quick: boolean, dir: string, say: (text: string) => void) {
  if (!haveNatsServer()) {
    say('jetstream: no nats-server (set MESHFOLD_NATS_SERVER); skipped');
    return { skipped: 'no nats-server' };
  }
  const size = quick ? { events: 10_000, lagEvents: 1000 } : { events: 100_000, lagEvents: 10_000 };
  // A busy mesh's watch stream as `record` appends it: a batch whenever the input pauses.
  const lagRate = 500;
  mkdirSync(dir, { recursive: true });
  say('jetstream: starting a three-node cluster on loopback');
  const cluster = await startCluster(3, join(dir, 'r3'));
  let r3;
  try {
    const t = await jetStreamThroughput(cluster.servers, 3, { events: size.events, ses: 200, wes: 1000 }, dir, say);
    say(`jetstream R3: follower lag, another process following while ${lagRate} events/s are recorded`);
    const lag = await followerLag(cluster.servers, 3, size.lagEvents, lagRate);
    r3 = {
      ...throughputFigures(3, t),
      storedBytesPerEvent: Math.round(t.storedBytesPerEvent),
      followerLag: { p50Ms: round(lag.p50Ms), p99Ms: round(lag.p99Ms), samples: lag.samples, eventsPerSec: Math.round(lag.eventsPerSec) },
    };
  } finally {
    await cluster.stop();
  }
  // Once the cluster is gone, so that it takes no share of the machine.
  return { ...r3, singleNode: await jetStreamSingleNode(quick, join(dir, 'r1'), say) };
}

/** The same record and replay ratios on one server (R1): what replication costs, next to the R3 figures. */
async function jetStreamSingleNode(quick: boolean, dir: string, say: (text: string) => void) {
  if (!haveNatsServer()) return { skipped: 'no nats-server' };
  const events = quick ? 10_000 : 100_000;
  mkdirSync(dir, { recursive: true });
  say('jetstream: starting a single server on loopback');
  const server = await startCluster(1, dir);
  try {
    const t = await jetStreamThroughput(server.servers, 1, { events, ses: 200, wes: 1000 }, dir, say);
    return throughputFigures(1, t);
  } finally {
    await server.stop();
  }
}

/** Record and replay as ratios to the raw client moving the same messages, from one throughput run. */
function throughputFigures(replicas: number, t: Awaited<ReturnType<typeof jetStreamThroughput>>) {
  return {
    replicas,
    events: t.events,
    record: {
      eventsPerSec: Math.round(t.events / t.recordSeconds), rawPublishEventsPerSec: Math.round(t.events / t.rawPublishSeconds),
      ratio: round(t.rawPublishSeconds / t.recordSeconds),
      // The log's append alone (no parsing, folding or snapshots) against the same baseline.
      appendEventsPerSec: Math.round(t.events / t.appendSeconds), appendRatio: round(t.rawPublishSeconds / t.appendSeconds),
    },
    replay: {
      eventsPerSec: Math.round(t.events / t.replaySeconds), rawConsumeEventsPerSec: Math.round(t.events / t.rawConsumeSeconds),
      ratio: round(t.rawConsumeSeconds / t.replaySeconds),
    },
    timeTravel: t.timeTravel,
  };
}
