import { labelValue, needsDnsResolution, objectOf, selects, type ProjectionState } from '@meshfold/core';

/** One rule that keeps (or would keep) a ServiceEntry from selecting a WorkloadEntry. */
export interface Reason {
  /** Stable: SE_ABSENT, WE_ABSENT, OTHER_NAMESPACE, NO_SELECTOR, LABEL_MISSING, LABEL_DIFFERS, NEEDS_DNS_RESOLUTION, UNHEALTHY. */
  readonly code: string;
  readonly message: string;
}

/**
 * Why a ServiceEntry does or does not select a WorkloadEntry in `state`: every rule that fails,
 * not just the first, so one answer is enough to fix the objects.
 */
export function explainAssociation(state: ProjectionState, seKey: string, weKey: string): { associated: boolean; reasons: Reason[] } {
  const se = objectOf(state, 'ServiceEntry', seKey);
  const we = objectOf(state, 'WorkloadEntry', weKey);
  const reasons: Reason[] = [];
  if (!se) reasons.push({ code: 'SE_ABSENT', message: `ServiceEntry ${seKey} does not exist at this point` });
  if (!we) reasons.push({ code: 'WE_ABSENT', message: `WorkloadEntry ${weKey} does not exist at this point` });
  if (!se || !we) return { associated: false, reasons };

  if (se.namespace !== we.namespace) {
    reasons.push({ code: 'OTHER_NAMESPACE', message: `ServiceEntry is in namespace ${se.namespace}, WorkloadEntry in ${we.namespace}; selection never crosses namespaces` });
  }
  if (!se.selector) {
    reasons.push({ code: 'NO_SELECTOR', message: `ServiceEntry ${seKey} has no workloadSelector (it uses ${se.endpoints.length > 0 ? 'inline endpoints' : 'no workloads'})` });
  } else {
    for (const [key, value] of Object.entries(se.selector).sort()) {
      const actual = labelValue(we.labels, key);
      if (actual === undefined) reasons.push({ code: 'LABEL_MISSING', message: `selector wants ${key}=${value}; the WorkloadEntry has no label ${key}` });
      else if (actual !== value) reasons.push({ code: 'LABEL_DIFFERS', message: `selector wants ${key}=${value}; the WorkloadEntry has ${key}=${actual}` });
    }
  }
  if (needsDnsResolution(se, we)) {
    reasons.push({ code: 'NEEDS_DNS_RESOLUTION', message: `address ${we.address} is not an IP; only DNS or DNS_ROUND_ROBIN ServiceEntries select it (resolution is ${se.resolution})` });
  }
  if (we.traits.unhealthy) {
    reasons.push({ code: 'UNHEALTHY', message: 'the WorkloadEntry has health checks enabled (proxy.istio.io/health-checks-enabled) and no Healthy condition with status True; istiod leaves it out' });
  }
  // Against the stored records, as the fold associates them.
  return { associated: selects(se, we), reasons };
}
