export { logConformance, type ConformanceCase, type LogBackend, type LogFixture } from './logConformance.js';
export { added, addedRange, collect, failure, workloadEntry } from './events.js';
