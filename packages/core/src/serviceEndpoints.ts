import { recordKey } from './keys.js';
import { endpointPort } from './internal/endpointPort.js';
import type { EndpointRecord } from './EndpointRecord.js';
import type { ServiceEntryRecord, WorkloadRecord } from './records.js';
import { tlsMode } from './internal/tlsMode.js';

const TRUST_DOMAIN = 'cluster.local';
const NO_LABELS = Object.freeze({});
const NO_TRAITS = Object.freeze({ network: '', locality: '', weight: 0, serviceAccount: '', workloadName: '', unhealthy: false });

/**
 * The one conversion from (ServiceEntry, host, workloads) to endpoints: every workload gets an
 * endpoint on every ServiceEntry port. Incremental updates and from-scratch recomputation both
 * call this, so they cannot disagree on ports (istio#25309).
 */
export function serviceEndpoints(
  se: ServiceEntryRecord, host: string, selected: Iterable<WorkloadRecord>,
): EndpointRecord[] {
  const out: EndpointRecord[] = [];
  for (const w of workloadsFor(se, host, selected)) {
    for (const p of se.ports) {
      out.push({
        host,
        namespace: se.namespace,
        servicePort: p.number,
        portName: p.name,
        protocol: p.protocol,
        address: w.address.startsWith('unix://') ? w.address.slice('unix://'.length) : w.address,
        port: endpointPort(p, w),
        labels: w.labels,
        network: w.traits.network,
        locality: w.traits.locality,
        weight: w.traits.weight,
        serviceAccount: w.traits.serviceAccount ? `spiffe://${TRUST_DOMAIN}/ns/${w.namespace}/sa/${w.traits.serviceAccount}` : '',
        tlsMode: tlsMode(w),
        workload: recordKey(w),
        workloadName: w.traits.workloadName || w.name,
        resolution: se.resolution,
      });
    }
  }
  return out;
}

/** Selected workloads, inline endpoints, or (DNS without either) the host itself. */
function workloadsFor(se: ServiceEntryRecord, host: string, selected: Iterable<WorkloadRecord>): Iterable<WorkloadRecord> {
  if (se.selector) return selected;
  if (se.endpoints.length > 0) return se.endpoints;
  if (isDnsResolution(se)) return [hostWorkload(se, host)];
  return [];
}

function hostWorkload(se: ServiceEntryRecord, host: string): WorkloadRecord {
  return {
    kind: 'ServiceEntry', namespace: se.namespace, name: se.name, address: host, ports: undefined,
    labels: NO_LABELS, traits: NO_TRAITS,
  };
}

/** Whether a ServiceEntry resolves by DNS (`DNS` or `DNS_ROUND_ROBIN`): only those select workloads addressed by hostname. */
export function isDnsResolution(se: ServiceEntryRecord): boolean {
  return se.resolution === 'DNS' || se.resolution === 'DNS_ROUND_ROBIN';
}
