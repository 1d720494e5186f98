import type { AssociationRecord } from '../Delta.js';
import { compareEndpoints, type EndpointRecord } from '../EndpointRecord.js';
import type { ProjectionView } from '../ProjectionView.js';
import { compareAssociations } from '../ProjectionView.js';
import { cmp } from '../EndpointRecord.js';
import { nameKey, recordKey } from '../keys.js';
import { type ObjectRecord, type ServiceEntryRecord, type WorkloadRecord } from '../records.js';
import { selects } from '../selects.js';
import { serviceEndpoints } from '../serviceEndpoints.js';

/**
 * The state computed from scratch out of the live objects, with none of the fold's indexes:
 * every ServiceEntry against every WorkloadEntry. Quadratic on purpose — it is the reference
 * the incremental fold is checked against, and the answer to "why".
 */
export function recomputeView(records: Iterable<ObjectRecord>): ProjectionView {
  const objects = [...records].sort((a, b) => cmp(recordKey(a), recordKey(b)));
  const services = objects.filter((r): r is ServiceEntryRecord => r.kind === 'ServiceEntry');
  const workloads = objects.filter((r) => r.kind === 'WorkloadEntry') as WorkloadRecord[];
  const associations: AssociationRecord[] = [];
  const endpoints: EndpointRecord[] = [];
  for (const se of services) {
    const selected = workloads.filter((w) => selects(se, w));
    for (const w of selected) associations.push({ serviceEntry: nameKey(se), workloadEntry: nameKey(w) });
    for (const host of new Set(se.hosts)) endpoints.push(...serviceEndpoints(se, host, selected));
  }
  return { objects, associations: associations.sort(compareAssociations), endpoints: endpoints.sort(compareEndpoints) };
}
