import type { PortRecord, WorkloadRecord } from '../records.js';

/**
 * The endpoint port of workload `w` on service port `p` — the single rule both the incremental
 * and the from-scratch paths use (istio#25309 came from two paths disagreeing):
 * `unix://` → 0; else `w.ports[p.name]` if > 0; else `p.targetPort` if > 0; else `p.number`.
 */
export function endpointPort(p: PortRecord, w: WorkloadRecord): number {
  if (w.address.startsWith('unix://')) return 0;
  const mapped = w.ports?.[p.name];
  if (mapped !== undefined && mapped > 0) return mapped;
  if (p.targetPort > 0) return p.targetPort;
  return p.number;
}
