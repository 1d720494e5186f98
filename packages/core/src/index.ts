export {
  ERROR_CODES, isErrorCode, exitStatus, httpStatus, type ErrorCode, type ErrorCodeInfo,
} from './errorCodes.js';
export { MeshfoldError, isMeshfoldError, type MeshfoldErrorOptions, type ValidationIssue } from './MeshfoldError.js';
export * from './objects.js';
export type {
  ObjectRecord, ServiceEntryRecord, WorkloadEntryRecord, WorkloadRecord, WorkloadTraits, PortRecord,
} from './records.js';
export { nameKey, recordKey } from './records.js';
export { validateObject, isIpAddress, isFqdn } from './validateObject.js';
export { toRecord } from './toRecord.js';
export { mergeLabels, matchesSelector, labelValue, TLS_MODE_LABEL } from './labels.js';
export { endpointPort } from './endpointPort.js';
export { tlsMode } from './tlsMode.js';
export { selects } from './selects.js';
export { serviceEndpoints, isDnsResolution } from './serviceEndpoints.js';
export { compareEndpoints, endpointIdentity, type EndpointRecord } from './EndpointRecord.js';
export type { Delta, AssociationRecord } from './Delta.js';
export { type ProjectionState } from './MutableState.js';
export { clusterName, type Cluster } from './clusters.js';
export { type Change } from './applyChange.js';
export { pairEvent, identityOf, type Notice, type PairResult } from './pairEvent.js';
export {
  viewOf, objectsOf, objectOf, sizeOf, associationsOf, selectedBy, selectorsOf, endpointsOf, clustersOf, compareAssociations,
  type ObjectRef, type ProjectionView,
} from './ProjectionView.js';
export { recomputeView } from './recomputeView.js';
export { stateHash, canonicalJson } from './stateHash.js';
export { BulkReplay } from './BulkReplay.js';
export { Projector, PROJECTOR_VERSION, type ApplyResult, type ProjectorSnapshot } from './Projector.js';
export { project, type ProjectOptions, type ProjectionStep } from './project.js';
export { parseRfc3339, RFC3339_RULE } from './parseRfc3339.js';
export { Interner } from './Interner.js';
