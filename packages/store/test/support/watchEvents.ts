export { added, addedRange, collect, failure, workloadEntry } from '../../src/testing/events.js';
