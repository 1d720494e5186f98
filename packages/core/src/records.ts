import type { Labels, Location, Resolution } from './objects.js';

/**
 * Normalised, validated forms of the objects: what the fold keeps instead of parsed JSON.
 * Plain data only (no Maps, no classes), so a record can be snapshotted with msgpack and
 * compared structurally.
 */
export interface WorkloadRecord {
  /** `WorkloadEntry` for a standalone object; `ServiceEntry` for an inline endpoint or a DNS host. */
  readonly kind: 'WorkloadEntry' | 'ServiceEntry';
  readonly namespace: string;
  readonly name: string;
  readonly address: string;
  readonly ports: Readonly<Record<string, number>> | undefined;
  /** Spec labels merged with metadata labels, metadata winning. */
  readonly labels: Labels;
  /** Rarely set, so kept apart and shared: most workloads point at one all-defaults object. */
  readonly traits: WorkloadTraits;
}

/** A workload's rarely set fields, shared between workloads that have the same ones. */
export interface WorkloadTraits {
  readonly network: string;
  readonly locality: string;
  /** 0 when unset. */
  readonly weight: number;
  readonly serviceAccount: string;
  /**
   * istiod's workload name, when it is not the object's name: a WorkloadEntry's
   * `istio.io/autoRegistrationGroup` annotation, else its `service.istio.io/workload-name`
   * metadata label (`WorkloadNameFromWorkloadEntry`). `''` means the object's name.
   */
  readonly workloadName: string;
  /**
   * A WorkloadEntry with `proxy.istio.io/health-checks-enabled: "true"` whose `Healthy`
   * condition is not `True`: istiod treats it as absent (`isHealthy` in the ServiceEntry
   * controller), so nothing selects it.
   */
  readonly unhealthy: boolean;
}

/** A validated WorkloadEntry, as the state holds it. */
export interface WorkloadEntryRecord extends WorkloadRecord {
  readonly kind: 'WorkloadEntry';
}

/** A ServiceEntry port, normalised (protocol upper-cased, defaults filled). */
export interface PortRecord {
  readonly number: number;
  readonly name: string;
  readonly protocol: string;
  /** 0 when unset. */
  readonly targetPort: number;
}

/** A validated ServiceEntry, as the state holds it. */
export interface ServiceEntryRecord {
  readonly kind: 'ServiceEntry';
  readonly namespace: string;
  readonly name: string;
  readonly hosts: readonly string[];
  readonly addresses: readonly string[];
  readonly ports: readonly PortRecord[];
  readonly location: Location;
  readonly resolution: Resolution;
  /** `undefined` when the ServiceEntry has no workloadSelector; `{}` selects the whole namespace. */
  readonly selector: Labels | undefined;
  /** Inline endpoints, already named `<serviceEntry>-<index>`. */
  readonly endpoints: readonly WorkloadRecord[];
}

/** Either record the state holds, told apart by `kind`. */
export type ObjectRecord = ServiceEntryRecord | WorkloadEntryRecord;
