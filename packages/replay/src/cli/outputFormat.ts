import { MeshfoldError } from '@meshfold/core';

/** `-o`, checked against the formats a command prints; absent = the first of them. */
export function outputFormat<T extends string>(value: unknown, allowed: readonly T[]): T {
  const text = String(value ?? allowed[0]);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new MeshfoldError('CLI_USAGE', `-o ${text} is not one of ${allowed.join(', ')}`);
  }
  return text as T;
}
