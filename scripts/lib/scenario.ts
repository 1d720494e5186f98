import type { WatchEvent } from '@meshfold/core';
import { seededRandom } from './random.js';

/**
 * Event generators for the benchmarks and `scripts/generate`: the istio#25531 seed scenario
 * (N ServiceEntries × K endpoints, inline or selected) and a churn log of adds, relabels, deletes.
 */
export type SeedMode = 'inline' | 'selector';

const API = 'networking.istio.io/v1';

function ipOf(n: number): string {
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function serviceEntry(i: number, mode: SeedMode, endpoints: number, namespace = 'default'): WatchEvent['object'] {
  const spec: Record<string, unknown> = {
    hosts: [`svc-${i}.example.com`],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
    location: 'MESH_INTERNAL',
    resolution: 'STATIC',
  };
  if (mode === 'inline') {
    spec.endpoints = Array.from({ length: endpoints }, (_, j) => ({
      address: ipOf(i * endpoints + j + 1), ports: { http: 8080 }, labels: { app: `svc-${i}` },
    }));
  } else {
    spec.workloadSelector = { labels: { app: `svc-${i}` } };
  }
  return { apiVersion: API, kind: 'ServiceEntry', metadata: { name: `svc-${i}`, namespace }, spec };
}

export function workloadEntry(n: number, app: string, version = 'v1', namespace = 'default'): WatchEvent['object'] {
  return {
    apiVersion: API, kind: 'WorkloadEntry',
    metadata: { name: `we-${n}`, namespace, labels: { version } },
    spec: { address: ipOf(n + 1), ports: { http: 8080 }, labels: { app }, serviceAccount: 'workload' },
  };
}

/** The seed scenario: every ServiceEntry, then (selector mode) its workloads. */
export function* seedEvents(ses: number, endpoints: number, mode: SeedMode): Generator<WatchEvent> {
  for (let i = 0; i < ses; i++) {
    yield { type: 'ADDED', object: serviceEntry(i, mode, endpoints) };
    if (mode === 'selector') {
      for (let j = 0; j < endpoints; j++) yield { type: 'ADDED', object: workloadEntry(i * endpoints + j, `svc-${i}`) };
    }
  }
}

export interface ChurnOptions {
  events: number;
  ses?: number;
  wes?: number;
  namespaces?: number;
  seed?: number;
}

/**
 * A churn log: ServiceEntries and WorkloadEntries spread over namespaces, then relabels (60%),
 * workload deletes and re-adds (25%), ServiceEntry edits (10%) and ServiceEntry deletes/re-adds (5%).
 */
export function* churnEvents({ events, ses = 1000, wes = 5000, namespaces = 10, seed = 25531 }: ChurnOptions): Generator<WatchEvent> {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const nsOf = (i: number) => `ns-${i % namespaces}`;
  const appOf = (se: number) => `svc-${se}`;
  const weApp = new Map<number, number>();
  const liveWe = new Set<number>();
  const liveSe = new Set<number>();
  const we = (n: number, se: number, version = 'v1') =>
    workloadEntry(n, appOf(se), version, nsOf(se));
  let emitted = 0;
  for (let i = 0; i < ses && emitted < events; i++, emitted++) {
    liveSe.add(i);
    yield { type: 'ADDED', object: serviceEntry(i, 'selector', 0, nsOf(i)) };
  }
  for (let n = 0; n < wes && emitted < events; n++, emitted++) {
    const se = n % ses;
    weApp.set(n, se);
    liveWe.add(n);
    yield { type: 'ADDED', object: we(n, se) };
  }
  while (emitted < events) {
    emitted++;
    const roll = random();
    const n = pick(wes);
    if (roll < 0.6 && liveWe.has(n)) {
      // Relabel within the namespace: move to another service of the same namespace, or flip version.
      const se = (weApp.get(n)! + namespaces * (1 + pick(3))) % ses;
      weApp.set(n, se);
      yield { type: 'MODIFIED', object: we(n, se, random() < 0.5 ? 'v1' : 'v2') };
    } else if (roll < 0.85) {
      const se = weApp.get(n)!;
      if (liveWe.delete(n)) yield { type: 'DELETED', object: we(n, se) };
      else {
        liveWe.add(n);
        yield { type: 'ADDED', object: we(n, se) };
      }
    } else {
      const i = pick(ses);
      const object = serviceEntry(i, 'selector', 0, nsOf(i));
      if (roll < 0.95 && liveSe.has(i)) {
        (object.spec as { ports: { targetPort?: number }[] }).ports[0]!.targetPort = 9000 + pick(10);
        yield { type: 'MODIFIED', object };
      } else if (liveSe.delete(i)) yield { type: 'DELETED', object };
      else {
        liveSe.add(i);
        yield { type: 'ADDED', object };
      }
    }
  }
}

/** kubectl's `-w -o json --output-watch-events` format: pretty objects one after another. */
export function kubectlJson(event: WatchEvent): string {
  return `${JSON.stringify({ type: event.type, object: event.object }, null, 4)}\n`;
}
