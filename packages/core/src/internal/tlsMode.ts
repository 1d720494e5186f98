import { TLS_MODE_LABEL } from './labels.js';
import type { WorkloadRecord } from '../records.js';

/** The tlsMode label if present, else `istio` when a service account is set, else `disabled`. */
export function tlsMode(w: WorkloadRecord): string {
  const label = w.labels[TLS_MODE_LABEL];
  if (label !== undefined) return label;
  return w.traits.serviceAccount ? 'istio' : 'disabled';
}
