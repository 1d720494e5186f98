import { fileURLToPath } from 'node:url';

/** The CLI as users run it: the bench records through its own process. */
export const MESHFOLD_BIN = fileURLToPath(new URL('../../../../packages/replay/bin/meshfold.js', import.meta.url));
