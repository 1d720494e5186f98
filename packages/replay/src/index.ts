/**
 * @meshfold/replay: the meshfold CLI and inspector, and the functions behind its answers. The
 * kubectl reader (`readInput`) and the Envoy conversion (`toClusterLoadAssignments`) are in
 * `@meshfold/core`.
 */

// The CLI, in-process.
export { main } from './cli/main.js';
export type { Io } from './io/Io.js';

// What the CLI and the inspector answer with.
export { diffStates, type StateDiff, type StatePoint } from './queries/diffStates.js';
export { explainAssociation, type Reason } from './queries/explainAssociation.js';
export { explainAt, type WhyAnswer } from './queries/explainAt.js';
export { historyJson, type HistoryEntry, type HistoryOptions } from './queries/historyJson.js';
/** The young generation `meshfold serve` runs with, for an embedder serving history the same way. */
export { SERVING_HEAP } from './serve/servingHeap.js';
export { indexLinks } from './linkIndex/indexLinks.js';
export { parseDump, readDump, type ProxyDump, type DumpCluster, type DumpEndpoint, type DumpFormat } from './check/readDump.js';
export { checkDump, type CheckReport } from './check/checkDump.js';
export type { Difference, Cause } from './check/explainDrift.js';
