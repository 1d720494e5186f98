import type { WatchEvent } from '@meshfold/core';

/** WorkloadEntry `ns/name` at 10.0.0.1 labelled `app`. */
export function labelled(name: string, app: string, type: WatchEvent['type'] = 'ADDED'): WatchEvent {
  return {
    type,
    object: { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name, namespace: 'ns' }, spec: { address: '10.0.0.1', labels: { app } } },
  };
}

/** ServiceEntry `ns/svc`, selecting the workloads labelled `app: a`. */
export const selectingService: WatchEvent = {
  type: 'ADDED',
  object: {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'svc', namespace: 'ns' },
    spec: { hosts: ['svc.example.com'], ports: [{ number: 80, name: 'http' }], resolution: 'STATIC', workloadSelector: { labels: { app: 'a' } } },
  },
};
