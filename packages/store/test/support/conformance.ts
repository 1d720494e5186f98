import { suite } from 'uvu';
import { logConformance, type LogBackend } from '../../src/testing/index.js';

/** Runs the exported conformance suite against one backend as a uvu suite named `name`. */
export function conformanceSuite(name: string, backend: LogBackend, hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {}): void {
  const test = suite(name);
  if (hooks.before) test.before(hooks.before);
  if (hooks.after) test.after(hooks.after);
  for (const { name: behaviour, run } of logConformance(backend)) test(behaviour, run);
  test.run();
}
