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
  return !needsDnsResolution(se, w);
}

/**
 * The DNS rule, the one place it is decided: a workload addressed by hostname or `unix://` path
 * can only be selected by a DNS or DNS_ROUND_ROBIN ServiceEntry. `selects` decides by it, and
 * `meshfold why` explains by it (NEEDS_DNS_RESOLUTION).
 */
export function needsDnsResolution(se: ServiceEntryRecord, w: WorkloadRecord): boolean {
  return !isDnsResolution(se) && (w.address.startsWith('unix://') || (w.address !== '' && !isIpAddress(w.address)));
}
