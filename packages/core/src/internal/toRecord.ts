import { MeshfoldError } from '../MeshfoldError.js';
import type {
  IstioObject, KubeObject, Labels, ServiceEntrySpec, WorkloadEntrySpec,
} from '../objects.js';
import { objectKey } from '../keys.js';
import { namespaceOf } from '../objects.js';
import type {
  ObjectRecord, PortRecord, ServiceEntryRecord, WorkloadEntryRecord, WorkloadRecord, WorkloadTraits,
} from '../records.js';
import { validateObject } from '../validateObject.js';
import { NO_INTERNING, type Interner } from './Interner.js';
import { compactSortedMap } from './compactSortedMap.js';

type Intern = Pick<Interner, 'string' | 'map' | 'sortedMap' | 'keyed'>;

/**
 * Validates a ServiceEntry or WorkloadEntry and turns it into its record; `checked`: it was
 * validated already (by `checkEvent`), so it is not again.
 * Throws `INPUT_INVALID_OBJECT` naming the object and every broken field; nothing is returned
 * for an invalid object, so nothing of it can be applied.
 */
export function toRecord(obj: KubeObject, intern: Intern = NO_INTERNING, checked = false): ObjectRecord {
  if (!checked) assertValidObject(obj);
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
  const status = { workloadName: workloadNameOf(obj), unhealthy: isUnhealthy(obj) };
  return workload('WorkloadEntry', namespace, obj.metadata.name, obj.spec ?? {}, labels, intern, status) as WorkloadEntryRecord;
}

const AUTO_REGISTRATION_GROUP = 'istio.io/autoRegistrationGroup';
const WORKLOAD_NAME_LABEL = 'service.istio.io/workload-name';
const HEALTH_CHECKS_ANNOTATION = 'proxy.istio.io/health-checks-enabled';

/** `WorkloadNameFromWorkloadEntry` (istio pkg/kube/labels): the annotation, else the metadata label; `''` for the name itself. */
function workloadNameOf(obj: KubeObject): string {
  const name = obj.metadata.annotations?.[AUTO_REGISTRATION_GROUP] ?? obj.metadata.labels?.[WORKLOAD_NAME_LABEL];
  return typeof name === 'string' && name !== obj.metadata.name ? name : '';
}

/**
 * `isHealthy` in istio pilot/pkg/serviceregistry/serviceentry/conversion.go: with health checks
 * enabled (the annotation parses as a Go boolean true), a WorkloadEntry counts only once its
 * `Healthy` condition is `True`; a new one without the condition is unhealthy.
 */
function isUnhealthy(obj: KubeObject): boolean {
  if (!GO_TRUE.has(String(obj.metadata.annotations?.[HEALTH_CHECKS_ANNOTATION] ?? ''))) return false;
  const conditions = (obj as { status?: { conditions?: unknown } }).status?.conditions;
  const healthy = Array.isArray(conditions)
    ? conditions.find((c): c is { status?: unknown } => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'Healthy')
    : undefined;
  return healthy?.status !== 'True';
}

/** The strings Go's `strconv.ParseBool` reads as true. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

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

interface WorkloadStatus { workloadName: string; unhealthy: boolean }
const NO_STATUS: WorkloadStatus = { workloadName: '', unhealthy: false };

function workload(
  kind: WorkloadRecord['kind'], namespace: string, name: string, spec: WorkloadEntrySpec, labels: Labels, intern: Intern,
  status: WorkloadStatus = NO_STATUS,
): WorkloadRecord {
  return {
    kind,
    namespace,
    name,
    address: spec.address ?? '',
    ports: spec.ports && Object.keys(spec.ports).length > 0 ? intern.sortedMap(spec.ports) : undefined,
    labels,
    traits: traitsOf(spec, labels, intern, status),
  };
}

const DEFAULT_TRAITS: WorkloadTraits = Object.freeze({
  network: '', locality: '', weight: 0, serviceAccount: '', workloadName: '', unhealthy: false,
});

function traitsOf(spec: WorkloadEntrySpec, labels: Labels, intern: Intern, status: WorkloadStatus): WorkloadTraits {
  const locality = localityOf(spec.locality, labels);
  const { workloadName, unhealthy } = status;
  if (!spec.network && !locality && !spec.weight && !spec.serviceAccount && !workloadName && !unhealthy) return DEFAULT_TRAITS;
  const network = spec.network ?? '';
  const weight = spec.weight ?? 0;
  const serviceAccount = spec.serviceAccount ?? '';
  // A JSON array as the key: no separator character can collide, whatever the strings hold
  // (the workload name comes from an annotation, which may hold anything).
  return intern.keyed(JSON.stringify(['traits', network, locality, weight, serviceAccount, unhealthy, workloadName]),
    () => ({ network, locality, weight, serviceAccount, workloadName, unhealthy }));
}

/** The locality field, else the topology label (legacy `.`-separated values become `/`). */
function localityOf(locality: string | undefined, labels: Labels): string {
  if (locality) return locality;
  const label = labels['topology.istio.io/locality'] ?? labels['istio-locality'] ?? '';
  return label.includes('/') ? label : label.replaceAll('.', '/');
}
