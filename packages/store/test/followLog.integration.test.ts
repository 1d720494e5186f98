import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import { EventLog } from '../src/index.js';
import { twoFollowersResumeFromASnapshot } from './support/followLogScenario.js';
import { startNatsServer } from './support/natsServer.js';

test('two services on their own JetStream connections resume from a snapshot and seq, follow another connection\'s appends, and end with the writer\'s state', async () => {
  const server = await startNatsServer();
  const location = `${server.url}/follow-${randomUUID().slice(0, 8)}`;
  const logs: EventLog[] = [];
  const open = async (readOnly: boolean) => {
    const log = await EventLog.openNats(location, { readOnly });
    logs.push(log);
    return log;
  };
  try {
    await twoFollowersResumeFromASnapshot(await open(false), () => open(true));
  } finally {
    for (const log of logs) await log.close();
    await server.stop();
  }
});

test.run();
