import { matchesSelector } from './internal/labels.js';
import type { ServiceEntryRecord, WorkloadRecord } from './records.js';
import { isDnsResolution } from './serviceEndpoints.js';
import { isIpAddress } from './validateObject.js';

/**
 * Whether ServiceEntry `se` selects workload `w`: same namespace, a selector whose labels all
 * match, and — for STATIC/NONE — an IP (or empty, network-gateway) address; hostname and
 * `unix://` workloads are only for DNS ServiceEntries. A health-checked WorkloadEntry that is not
 * Healthy is selected by nothing, as istiod leaves it out of its workloads.
 */
export function selects(se: ServiceEntryRecord, w: WorkloadRecord): boolean {
  if (!se.selector || se.namespace !== w.namespace || w.traits.unhealthy) return false;
  if (!matchesSelector(se.selector, w.labels)) return false;
  return isDnsResolution(se) || !dnsOnly(w.address);
}

function dnsOnly(address: string): boolean {
  return address.startsWith('unix://') || (address !== '' && !isIpAddress(address));
}
