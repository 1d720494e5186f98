import {
  compareAssociations, compareEndpoints, endpointIdentity, type AssociationRecord, type EndpointRecord,
} from '@meshfold/core';

/** One side of a diff: the associations and endpoints at a point of the log. */
export interface StatePoint {
  readonly seq: number;
  readonly endpoints: readonly EndpointRecord[];
  readonly associations: readonly AssociationRecord[];
}

/** What `meshfold diff -o json` prints (docs/output.md): endpoints and associations added, removed and changed. */
export interface StateDiff {
  readonly from: number;
  readonly to: number;
  readonly endpoints: {
    readonly added: EndpointRecord[];
    readonly removed: EndpointRecord[];
    /** Same (host, namespace, service port, workload), other address, port, labels…. */
    readonly changed: { before: EndpointRecord; after: EndpointRecord }[];
  };
  readonly associations: { readonly added: AssociationRecord[]; readonly removed: AssociationRecord[] };
}

/** The difference between two points, as `meshfold diff` and `/api/diff` report it. */
export function diffStates(a: StatePoint, b: StatePoint): StateDiff {
  const removed = multisetMinus(a.endpoints, b.endpoints, endpointIdentity);
  const added = multisetMinus(b.endpoints, a.endpoints, endpointIdentity);
  const changed: StateDiff['endpoints']['changed'] = [];
  const addedBySlot = new Map<string, EndpointRecord[]>();
  for (const e of added) addedBySlot.set(slot(e), [...(addedBySlot.get(slot(e)) ?? []), e]);
  const stillRemoved = removed.filter((before) => {
    const after = addedBySlot.get(slot(before))?.shift();
    if (after) changed.push({ before, after });
    return !after;
  });
  const pairedAfter = new Set(changed.map((c) => c.after));
  const assocId = (x: AssociationRecord) => `${x.serviceEntry} ${x.workloadEntry}`;
  return {
    from: a.seq,
    to: b.seq,
    endpoints: {
      added: added.filter((e) => !pairedAfter.has(e)).sort(compareEndpoints),
      removed: stillRemoved.sort(compareEndpoints),
      changed: changed.sort((x, y) => compareEndpoints(x.after, y.after)),
    },
    associations: {
      added: multisetMinus(b.associations, a.associations, assocId).sort(compareAssociations),
      removed: multisetMinus(a.associations, b.associations, assocId).sort(compareAssociations),
    },
  };
}

/** The identity of an endpoint across time: which workload, on which service port of which host. */
function slot(e: EndpointRecord): string {
  return JSON.stringify([e.host, e.namespace, e.servicePort, e.portName, e.workload]);
}

/** Elements of `xs` not matched one-for-one in `ys`. */
function multisetMinus<T>(xs: readonly T[], ys: readonly T[], id: (x: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const y of ys) counts.set(id(y), (counts.get(id(y)) ?? 0) + 1);
  return xs.filter((x) => {
    const n = counts.get(id(x)) ?? 0;
    if (n > 0) counts.set(id(x), n - 1);
    return n === 0;
  });
}
