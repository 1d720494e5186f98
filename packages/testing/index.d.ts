// Types of index.js: core's compiled declarations for the same module.
export * from '../core/dist/test/support/arbitraries.js';
export * from '../core/dist/test/support/canonicalJson.js';
