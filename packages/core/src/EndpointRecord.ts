import type { Labels, Resolution } from './objects.js';

/** One endpoint as EDS would hold it, in the shape `meshfold endpoints -o json` prints. */
export interface EndpointRecord {
  readonly host: string;
  readonly namespace: string;
  readonly servicePort: number;
  readonly portName: string;
  readonly protocol: string;
  readonly address: string;
  readonly port: number;
  readonly labels: Labels;
  readonly network: string;
  readonly locality: string;
  /** As written on the workload; 0 means unset (Envoy then uses 1). */
  readonly weight: number;
  /** `spiffe://cluster.local/ns/<ns>/sa/<sa>`, or `""` when the workload has none. */
  readonly serviceAccount: string;
  readonly tlsMode: string;
  /** `WorkloadEntry/ns/name`, or `ServiceEntry/ns/<se>-<i>` for inline endpoints. */
  readonly workload: string;
  /**
   * The name istiod reports for the workload (telemetry, `istio.workload` metadata): the
   * WorkloadEntry's name unless an annotation or label names it otherwise; `<serviceEntry>-<i>` for
   * inline endpoints; the ServiceEntry's name for a DNS host.
   */
  readonly workloadName: string;
  /** The resolution of the ServiceEntry the endpoint comes from: it decides whether istiod sends it by EDS. */
  readonly resolution: Resolution;
}

/** The documented output order: host, namespace, servicePort, address, port, workload. */
export function compareEndpoints(a: EndpointRecord, b: EndpointRecord): number {
  return cmp(a.host, b.host)
    || cmp(a.namespace, b.namespace)
    || a.servicePort - b.servicePort
    || cmp(a.address, b.address)
    || a.port - b.port
    || cmp(a.workload, b.workload)
    // Ties (e.g. two ServiceEntries selecting one workload) still need one order for hashing.
    || cmp(a.portName, b.portName)
    || cmp(a.protocol, b.protocol)
    || cmp(endpointIdentity(a), endpointIdentity(b));
}

/** Every field, as one string: two endpoints are the same iff their identities are. */
export function endpointIdentity(e: EndpointRecord): string {
  return JSON.stringify([
    e.host, e.namespace, e.servicePort, e.portName, e.protocol, e.address, e.port,
    sortedEntries(e.labels), e.network, e.locality, e.weight, e.serviceAccount, e.tlsMode, e.workload,
    e.workloadName, e.resolution,
  ]);
}

/**
 * Whether two endpoints are the same, as their identities would say, without building them:
 * field by field, labels by reference first (an unchanged workload's endpoints share its labels).
 */
export function sameEndpoint(a: EndpointRecord, b: EndpointRecord): boolean {
  return a.address === b.address && a.port === b.port && a.workload === b.workload && a.servicePort === b.servicePort
    && a.host === b.host && a.namespace === b.namespace && a.portName === b.portName && a.protocol === b.protocol
    && a.network === b.network && a.locality === b.locality && a.weight === b.weight && a.serviceAccount === b.serviceAccount
    && a.tlsMode === b.tlsMode && a.workloadName === b.workloadName && a.resolution === b.resolution && sameLabels(a.labels, b.labels);
}

function sameLabels(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

function sortedEntries(labels: Labels): [string, string][] {
  return Object.entries(labels).sort((x, y) => cmp(x[0], y[0]));
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
