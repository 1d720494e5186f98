import type { EventLog } from '@meshfold/store';

/**
 * `events -o json` and `/api/events`: `{"from","to","events":[…]}` written batch by batch, so a
 * long range never sits in memory whole; the CLI writes it to stdout, the inspector to an HTTP
 * response.
 */
export async function writeEventsJson(log: EventLog, range: { from: number; to: number }, write: (text: string) => void): Promise<void> {
  write(`{"from":${range.from},"to":${range.to},"events":[`);
  let first = true;
  for await (const batch of log.readBatches(range)) {
    write(batch.map((e) => (first ? '' : ',') + ((first = false), `\n${JSON.stringify(e)}`)).join(''));
  }
  write('\n]}\n');
}
