/**
 * Wire shapes of the Kubernetes objects meshfold accepts, as kubectl prints them.
 * `networking.istio.io` v1alpha3, v1beta1 and v1 share one spec shape.
 */
export const ISTIO_GROUP = 'networking.istio.io';
/** The `networking.istio.io` versions accepted; they share one spec shape. */
export const ISTIO_VERSIONS = ['v1alpha3', 'v1beta1', 'v1'] as const;

/** The two kinds the fold accepts. */
export type Kind = 'ServiceEntry' | 'WorkloadEntry';
/** Kubernetes labels: key → value. */
export type Labels = Readonly<Record<string, string>>;

/** `metadata` as kubectl prints it; fields meshfold does not read are kept as they came. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [extra: string]: unknown;
}

/** A WorkloadEntry's `spec`, also the shape of a ServiceEntry's inline `endpoints`. */
export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  network?: string;
  locality?: string;
  weight?: number;
  serviceAccount?: string;
}

/** One entry of a ServiceEntry's `spec.ports`. */
export interface ServicePort {
  number: number;
  protocol?: string;
  name: string;
  targetPort?: number;
}

/** A ServiceEntry's `spec.resolution`; it decides the Envoy cluster type (STATIC: EDS). */
export type Resolution = 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS';
/** A ServiceEntry's `spec.location`. */
export type Location = 'MESH_EXTERNAL' | 'MESH_INTERNAL';

/** A ServiceEntry's `spec`, as the CRD defines it. */
export interface ServiceEntrySpec {
  hosts?: string[];
  addresses?: string[];
  ports?: ServicePort[];
  location?: Location;
  resolution?: Resolution;
  endpoints?: WorkloadEntrySpec[];
  workloadSelector?: { labels?: Record<string, string> };
  exportTo?: string[];
  subjectAltNames?: string[];
}

/** Any Kubernetes object as kubectl prints it: `apiVersion`, `kind`, `metadata`, `spec`. */
export interface KubeObject<K extends string = string, S = unknown> {
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec?: S;
  [extra: string]: unknown;
}

/** A `networking.istio.io` ServiceEntry. */
export type ServiceEntry = KubeObject<'ServiceEntry', ServiceEntrySpec>;
/** A `networking.istio.io` WorkloadEntry. */
export type WorkloadEntry = KubeObject<'WorkloadEntry', WorkloadEntrySpec>;
/** Either kind the fold accepts. */
export type IstioObject = ServiceEntry | WorkloadEntry;

/** A watch event's `type`; kubectl's `BOOKMARK` and `ERROR` never reach the fold. */
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One watch event, as `kubectl get -w --output-watch-events` prints it. */
export interface WatchEvent {
  type: EventType;
  object: KubeObject;
}

/**
 * Where an event came from when it was not seen on a watch. `sync`: the event was recorded by a
 * relist (`record --sync`, `watch`) that began at that seq — a DELETED one was synthesized
 * because the object was absent from the complete set the relist read.
 */
export interface EventOrigin {
  sync: number;
}

/** A watch event once it has a place in the log. `time` is an RFC 3339 string. */
export interface LoggedEvent extends WatchEvent {
  seq: number;
  time: string;
  /** Absent for events seen on a watch or read from a file (and in logs written before relists). */
  origin?: EventOrigin;
}

/** Namespace defaults to `default`, as kubectl does for namespaced objects. */
export function namespaceOf(obj: KubeObject): string {
  return obj.metadata?.namespace || 'default';
}
