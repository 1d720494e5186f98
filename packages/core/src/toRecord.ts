import { MeshfoldError } from './MeshfoldError.js';
import type {
  IstioObject, KubeObject, Labels, ServiceEntrySpec, WorkloadEntrySpec,
} from './objects.js';
import { namespaceOf, objectKey } from './objects.js';
import type {
  ObjectRecord, PortRecord, ServiceEntryRecord, WorkloadEntryRecord, WorkloadRecord, WorkloadTraits,
} from './records.js';
import { validateObject } from './validateObject.js';
import { NO_INTERNING, type Interner } from './Interner.js';
import { compactSortedMap } from './compactSortedMap.js';

type Intern = Pick<Interner, 'string' | 'map' | 'sortedMap' | 'keyed'>;

/**
 * Validates a ServiceEntry or WorkloadEntry and turns it into its record.
 * Throws `INPUT_INVALID_OBJECT` naming the object and every broken field; nothing is returned
 * for an invalid object, so nothing of it can be applied.
 */
export function toRecord(obj: KubeObject, intern: Intern = NO_INTERNING): ObjectRecord {
  assertValidObject(obj);
  const istio = obj as IstioObject;
  return istio.kind === 'ServiceEntry'
    ? serviceEntryRecord(intern.string(namespaceOf(istio)), istio.metadata.name, istio.spec ?? {}, intern)
    : workloadEntryRecord(istio as KubeObject<'WorkloadEntry', WorkloadEntrySpec>, intern);
}

/** Throws `INPUT_INVALID_OBJECT` naming the object and every broken field, as {@link toRecord} does. */
export function assertValidObject(obj: KubeObject): void {
  const issues = validateObject(obj);
  if (issues.length > 0) {
    const name = describe(obj);
    const list = issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
    throw new MeshfoldError('INPUT_INVALID_OBJECT', `${name} is invalid: ${list}`, { object: name, issues });
  }
}

function describe(obj: KubeObject): string {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '<no kind>';
  const name = typeof obj?.metadata?.name === 'string' ? obj.metadata.name : '<no name>';
  return objectKey(kind, obj?.metadata ? namespaceOf(obj) : 'default', name);
}

function workloadEntryRecord(obj: KubeObject<'WorkloadEntry', WorkloadEntrySpec>, intern: Intern): WorkloadEntryRecord {
  // Spec labels merged with metadata labels, metadata winning (Istio 1.14+).
  const labels = intern.sortedMap(obj.spec?.labels, obj.metadata.labels);
  const namespace = intern.string(namespaceOf(obj));
  return workload('WorkloadEntry', namespace, obj.metadata.name, obj.spec ?? {}, labels, intern) as WorkloadEntryRecord;
}

/** Most ServiceEntries have no addresses or no inline endpoints: one shared empty list, not one each. */
const NONE: readonly never[] = Object.freeze([]);

function listOf<T, R>(items: readonly T[] | undefined, map: (item: T, i: number) => R): readonly R[] {
  return items && items.length > 0 ? items.map(map) : NONE;
}

function serviceEntryRecord(namespace: string, name: string, spec: ServiceEntrySpec, intern: Intern): ServiceEntryRecord {
  return {
    kind: 'ServiceEntry',
    namespace,
    name,
    hosts: listOf(spec.hosts, (h) => h),
    addresses: listOf(spec.addresses, (a) => a),
    ports: intern.map((spec.ports ?? []).map(portRecord)),
    location: spec.location ?? 'MESH_EXTERNAL',
    resolution: spec.resolution ?? 'NONE',
    // Not interned: a selector is one per ServiceEntry and seldom equals another label set, so
    // sharing it saved little and cost an interner entry per ServiceEntry (~46 bytes).
    selector: spec.workloadSelector ? compactSortedMap(spec.workloadSelector.labels) : undefined,
    // Inline endpoints only carry spec labels; their identity is `<serviceEntry>-<index>`.
    endpoints: listOf(spec.endpoints, (ep, i) =>
      workload('ServiceEntry', namespace, `${name}-${i}`, ep, intern.sortedMap(ep.labels), intern)),
  };
}

function portRecord(p: { number: number; name: string; protocol?: string; targetPort?: number }): PortRecord {
  return { number: p.number, name: p.name, protocol: (p.protocol ?? '').toUpperCase(), targetPort: p.targetPort ?? 0 };
}

function workload(
  kind: WorkloadRecord['kind'], namespace: string, name: string, spec: WorkloadEntrySpec, labels: Labels, intern: Intern,
): WorkloadRecord {
  return {
    kind,
    namespace,
    name,
    address: spec.address ?? '',
    ports: spec.ports && Object.keys(spec.ports).length > 0 ? intern.sortedMap(spec.ports) : undefined,
    labels,
    traits: traitsOf(spec, labels, intern),
  };
}

const DEFAULT_TRAITS: WorkloadTraits = Object.freeze({ network: '', locality: '', weight: 0, serviceAccount: '' });

function traitsOf(spec: WorkloadEntrySpec, labels: Labels, intern: Intern): WorkloadTraits {
  const locality = localityOf(spec.locality, labels);
  if (!spec.network && !locality && !spec.weight && !spec.serviceAccount) return DEFAULT_TRAITS;
  const network = spec.network ?? '';
  const weight = spec.weight ?? 0;
  const serviceAccount = spec.serviceAccount ?? '';
  // A JSON array as the key: no separator character can collide, whatever the strings hold.
  return intern.keyed(JSON.stringify(['traits', network, locality, weight, serviceAccount]),
    () => ({ network, locality, weight, serviceAccount }));
}

/** The locality field, else the topology label (legacy `.`-separated values become `/`). */
function localityOf(locality: string | undefined, labels: Labels): string {
  if (locality) return locality;
  const label = labels['topology.istio.io/locality'] ?? labels['istio-locality'] ?? '';
  return label.includes('/') ? label : label.replaceAll('.', '/');
}
