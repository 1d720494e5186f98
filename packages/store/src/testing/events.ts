import { MeshfoldError, type KubeObject, type WatchEvent } from '@meshfold/core';

/** A WorkloadEntry whose name and address are derived from `n`, so events are told apart by name. */
export function workloadEntry(n: number, extra: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'WorkloadEntry',
    metadata: { name: `we-${n}`, namespace: 'shop', ...(Object.keys(extra).length > 0 && { annotations: extra }) },
    spec: { address: `10.0.${Math.floor(n / 250) % 250}.${n % 250}`, labels: { app: 'orders' } },
  };
}

export function added(n: number): WatchEvent {
  return { type: 'ADDED', object: workloadEntry(n) };
}

/** `count` ADDED events numbered from `first`. */
export function addedRange(first: number, count: number): WatchEvent[] {
  return Array.from({ length: count }, (_, i) => added(first + i));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Awaits `action` and returns the MeshfoldError it fails with; fails the test if it resolves. */
export async function failure(action: Promise<unknown> | (() => Promise<unknown>)): Promise<MeshfoldError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    if (err instanceof MeshfoldError) return err;
    throw new Error(`expected a MeshfoldError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a failure, but it succeeded');
}
