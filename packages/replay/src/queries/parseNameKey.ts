import { MeshfoldError } from '@meshfold/core';

/** `ns/name` as a user gave it (why's arguments, `/api/why?se&we`), checked; `what` names the argument. */
export function parseNameKey(value: unknown, what: string): string {
  const text = String(value ?? '');
  if (!/^[^/\s]+\/[^/\s]+$/.test(text)) throw new MeshfoldError('CLI_USAGE', `${what} must be NAMESPACE/NAME, got ${JSON.stringify(text)}`);
  return text;
}
