export { main } from './cli.js';
export type { Io } from './Io.js';
export { readInput, type InputItem, type InputError, type ReadInputOptions } from './readInput.js';
export { diffStates, type StateDiff, type StatePoint } from './diffStates.js';
export { explainAssociation, type Reason } from './explainAssociation.js';
export { toClusterLoadAssignments } from './toClusterLoadAssignments.js';
export { explainAt, type WhyAnswer } from './commands/why.js';
