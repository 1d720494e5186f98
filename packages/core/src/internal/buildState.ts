import { createState, type MutableState } from './MutableState.js';
import { type ObjectRecord, type ServiceEntryRecord, type WorkloadEntryRecord } from '../records.js';
import { indexService, indexWorkload } from './stateIndexes.js';

/**
 * A state built in one pass from a set of live objects (a snapshot): ServiceEntries first, so
 * their selectors decide which label keys get indexed, then workloads. The same indexes as the
 * fold builds event by event — the property test checks the two agree — without pairing,
 * per-event candidate searches or deltas.
 */
export function buildState(records: Iterable<ObjectRecord>): MutableState {
  const state = createState();
  const services: ServiceEntryRecord[] = [];
  const workloads: WorkloadEntryRecord[] = [];
  for (const rec of records) {
    if (rec.kind === 'ServiceEntry') services.push(rec);
    else workloads.push(rec);
  }
  for (const se of services) indexService(state, se);
  for (const we of workloads) indexWorkload(state, we);
  return state;
}
