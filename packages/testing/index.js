// Core's property tests generate watch streams with test/support/arbitraries.ts, which `tsc -b`
// builds into core's dist/test. The store's and replay's property tests need the same streams, and
// a relative import from another package's test cannot reach them (the source and the compiled
// test sit at different depths). This private package gives them a name instead, so that
// @meshfold/core does not have to export test code (and depend on fast-check) to its users.
export * from '../core/dist/test/support/arbitraries.js';
export * from '../core/dist/test/support/canonicalJson.js';
