import { Packr } from 'msgpackr';
import {
  connect, DiscardPolicy, headers, RetentionPolicy, StorageType,
  type JetStreamClient, type NatsConnection,
} from 'nats';

/**
 * Baselines with no meshfold code in the loop: the very messages a meshfold stream holds
 * (subjects, headers, bodies), published and consumed with the plain NATS client.
 */
export interface RawMessage {
  subject: string;
  /** The headers meshfold sets on an event (`Meshfold-Seq`, `Meshfold-Batch`). */
  headers: [string, string][];
  data: Uint8Array;
}

/** Messages the server adds or checks itself; a raw publisher does not copy them. */
const SERVER_HEADER = /^Nats-/i;

async function client(servers: string): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
  // As fast as the client goes: no stack trace captured per request (meshfold's connection does the same).
  const nc = await connect({ servers: servers.replace(/^nats:\/\//, '').split(','), noAsyncTraces: true });
  return { nc, js: nc.jetstream() };
}

/** Every event message of a meshfold stream, in stream order (through an ordered consumer). */
export async function readStreamMessages(servers: string, stream: string): Promise<RawMessage[]> {
  const { nc, js } = await client(servers);
  try {
    const consumer = await js.consumers.get(stream, { filterSubjects: `meshfold.${stream}.ev.>` });
    const out: RawMessage[] = [];
    const messages = await consumer.consume({ max_messages: 1000 });
    for await (const m of messages) {
      const h: [string, string][] = [];
      for (const key of m.headers?.keys() ?? []) if (!SERVER_HEADER.test(key)) h.push([key, m.headers!.get(key)]);
      out.push({ subject: m.subject, headers: h, data: m.data.slice() });
      if (m.info.pending === 0) break;
    }
    messages.stop();
    return out;
  } finally {
    await nc.close();
  }
}

/**
 * Seconds to publish `messages` into a new stream of `replicas` as a careful publisher does:
 * asynchronously, at most `window` unacknowledged at once, each with a message id (so a resend
 * is de-duplicated), and waiting for every acknowledgement.
 */
export async function rawPublishSeconds(servers: string, stream: string, replicas: number, messages: readonly RawMessage[], window = 1000): Promise<number> {
  const { nc, js } = await client(servers);
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({
      name: stream, subjects: [`meshfold.${stream}.>`], storage: StorageType.File, retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.New, num_replicas: replicas, allow_direct: true,
    });
    const prefix = /^meshfold\.[^.]+\./;
    let inFlight = 0;
    let wake: (() => void) | undefined;
    let failed: unknown;
    const start = performance.now();
    for (const [i, m] of messages.entries()) {
      while (inFlight >= window) await new Promise<void>((resolve) => { wake = resolve; });
      if (failed) throw failed;
      const h = headers();
      for (const [key, value] of m.headers) h.set(key, value);
      inFlight++;
      js.publish(m.subject.replace(prefix, `meshfold.${stream}.`), m.data, { headers: h, msgID: `raw-${i}`, timeout: 30_000 })
        .catch((err: unknown) => { failed ??= err; })
        .finally(() => {
          inFlight--;
          const w = wake;
          wake = undefined;
          w?.();
        });
    }
    while (inFlight > 0) await new Promise<void>((resolve) => { wake = resolve; });
    const seconds = (performance.now() - start) / 1000;
    if (failed) throw failed;
    const info = await jsm.streams.info(stream);
    if (info.state.messages !== messages.length) throw new Error(`raw publish stored ${info.state.messages} of ${messages.length} messages`);
    await jsm.streams.delete(stream);
    return seconds;
  } finally {
    await nc.close();
  }
}

/**
 * Seconds to read every event message of `stream` through an ordered consumer and unpack its
 * msgpack body: what a reader must spend before meshfold's checks and fold.
 */
export async function rawConsumeSeconds(servers: string, stream: string, bufferSize = 1000): Promise<{ seconds: number; count: number }> {
  const { nc, js } = await client(servers);
  try {
    const packr = new Packr({ useRecords: false });
    const start = performance.now();
    const consumer = await js.consumers.get(stream, { filterSubjects: `meshfold.${stream}.ev.>` });
    const messages = await consumer.consume({ max_messages: bufferSize });
    let count = 0;
    for await (const m of messages) {
      // The body after the format byte and the checksum (checking it is meshfold's work).
      packr.unpack(m.data.subarray(5));
      count++;
      if (m.info.pending === 0) break;
    }
    messages.stop();
    return { seconds: (performance.now() - start) / 1000, count };
  } finally {
    await nc.close();
  }
}
