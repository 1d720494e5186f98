import type { LoggedEvent, WatchEvent } from '@meshfold/core';

const BATCH = 'test.meshfold.dev/batch';
const COUNT = 'test.meshfold.dev/count';
const INDEX = 'test.meshfold.dev/index';

/** `count` events that each carry their batch id, the batch size and their place in it. */
export function batchEvents(batchId: string, count: number): WatchEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: 'ADDED',
    object: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'WorkloadEntry',
      metadata: {
        name: `${batchId}-${index}`,
        namespace: 'crash',
        annotations: { [BATCH]: batchId, [COUNT]: String(count), [INDEX]: String(index) },
      },
      spec: { address: `10.1.${index}.${count}`, labels: { batch: batchId } },
    },
  }));
}

/**
 * Problems with the batches in `events` (an empty list when every batch is whole): each batch
 * must appear exactly once, with all of its events, at consecutive seqs, in order.
 */
export function batchProblems(events: LoggedEvent[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < events.length;) {
    const annotations = events[i]!.object.metadata.annotations ?? {};
    const batchId = annotations[BATCH] ?? '?';
    const count = Number(annotations[COUNT]);
    if (seen.has(batchId)) problems.push(`batch ${batchId} appears twice (again at seq ${events[i]!.seq})`);
    seen.add(batchId);
    const members = events.slice(i, i + count);
    const whole = members.length === count && members.every((event, index) =>
      event.object.metadata.annotations?.[BATCH] === batchId && event.object.metadata.annotations?.[INDEX] === String(index));
    if (!whole) problems.push(`batch ${batchId} starting at seq ${events[i]!.seq} is not whole (expected ${count} events)`);
    i += Math.max(count, 1);
  }
  return problems;
}
