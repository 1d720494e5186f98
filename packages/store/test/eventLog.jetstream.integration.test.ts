import { randomUUID } from 'node:crypto';
import { JetStreamEventLog, type EventLogOptions } from '../src/index.js';
import { conformanceSuite } from './support/conformance.js';
import { startNatsServer, type NatsServer } from './support/natsServer.js';

let server: NatsServer | undefined;
let streams = 0;

// Each case gets a stream of its own on one server, started and stopped here.
conformanceSuite('EventLog conformance on JetStream', async () => {
  const stream = `conformance-${++streams}-${randomUUID().slice(0, 8)}`;
  return {
    open: (options?: EventLogOptions) => JetStreamEventLog.open({ servers: [server!.url], stream }, options),
    dispose: async () => {},
  };
}, {
  before: async () => { server = await startNatsServer(); },
  after: async () => { await server?.stop(); },
});
