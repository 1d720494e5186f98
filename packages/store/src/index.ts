export { EventLog, type AppendOptions, type EventLogOptions, type LogStatus, type ReadRange } from './EventLog.js';
export type { CheckedRange } from './CheckedRanges.js';
export type { AppendEvent } from './planAppend.js';
export type { Snapshot, SnapshotInfo, SnapshotInput } from './Snapshot.js';
export type { StoreReport } from './StoreReport.js';
export { FORMAT_VERSION, isChecksummed } from './valueCodec.js';
export { loadState, replayOnto, type LoadStateOptions } from './loadState.js';
export { stateAt } from './stateAt.js';
export { ProjectedLog, type ProjectedLogOptions, type RecordResult, type Rejection } from './ProjectedLog.js';
