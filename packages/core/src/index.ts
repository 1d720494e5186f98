/**
 * @meshfold/core: Istio ServiceEntry/WorkloadEntry watch events in, endpoints, clusters and
 * associations out. Pure: no I/O, clock or randomness. Each section below is one job; modules
 * under `internal/` are not part of the surface.
 */

// Following a stream: watch events → steps with deltas and cluster updates.
export { project, type ProjectOptions, type ProjectionStep } from './project.js';

// The fold, without RxJS: one event at a time, a bulk catch-up, snapshots.
export { Projector, PROJECTOR_VERSION, type ApplyResult, type ProjectorSnapshot } from './Projector.js';
export type { BulkReplay } from './BulkReplay.js';
export type { Change } from './internal/applyChange.js';
export type { Delta, AssociationRecord } from './Delta.js';

// Reading a state: the opaque state and its queries.
export type { ProjectionState } from './internal/MutableState.js';
export {
  viewOf, objectsOf, objectOf, sizeOf, associationsOf, selectedBy, selectorsOf, endpointsOf, clustersOf, compareAssociations,
  type ObjectRef, type ProjectionView,
} from './ProjectionView.js';
export type { Cluster } from './clusters.js';
export { compareEndpoints, endpointIdentity, type EndpointRecord } from './EndpointRecord.js';
export { stateHash } from './stateHash.js';

// Reading kubectl's output: watch streams, lists and YAML, as kubectl writes and reads them.
export {
  readInput,
  readInputBatches,
  type InputItem, type InputEvent, type InputRejected, type InputSkipped, type InputError, type ReadInputOptions,
  type RawDocument,
} from './input/readInput.js';
export { JsonDocumentSplitter } from './input/jsonDocuments.js';
export { YamlDocumentSplitter } from './input/yamlDocuments.js';

// Envoy: the xDS resources istiod would send for a state's endpoints.
export {
  toClusterLoadAssignments, toClusterLoadAssignment, toClusters, clusterType, inEds, workloadMetadata,
  type ClusterLoadAssignment, type CdsCluster,
} from './toClusterLoadAssignments.js';

// Objects: the Kubernetes wire shapes, the records the fold keeps, and their keys.
export {
  namespaceOf,
  type Kind, type Labels, type ObjectMeta, type WorkloadEntrySpec, type ServicePort, type Resolution, type Location,
  type ServiceEntrySpec, type KubeObject, type ServiceEntry, type WorkloadEntry, type IstioObject, type EventType,
  type WatchEvent, type EventOrigin, type LoggedEvent,
} from './objects.js';
export {
  type ObjectRecord, type ServiceEntryRecord, type WorkloadEntryRecord, type WorkloadRecord, type WorkloadTraits, type PortRecord,
} from './records.js';
export {
  objectKey, recordKey, nameKey, parseObjectKey, parseNameKey, type ObjectKey, type NameKey,
} from './keys.js';
export { identityOf } from './internal/pairEvent.js';
export { clusterName, endpointAddress, changedFields, deltaText, type FieldChange } from './format.js';

// Istio's rules, for checking objects before they reach the fold and explaining its answers.
export { validateObject } from './validateObject.js';
export { checkEvent } from './checkEvent.js';
export { selects, needsDnsResolution } from './selects.js';
export { labelValue } from './internal/labels.js';

// Errors and notices: one registry of codes (docs/errors.md).
export {
  ERROR_CODES, isErrorCode, exitStatus, httpStatus, type ErrorCode, type ErrorCodeInfo,
} from './errorCodes.js';
export {
  MeshfoldError, isMeshfoldError, type MeshfoldErrorOptions, type ValidationIssue, type Notice,
} from './MeshfoldError.js';

// Time: the one RFC 3339 parser the log and the CLI share.
export { parseRfc3339, RFC3339_RULE } from './parseRfc3339.js';
