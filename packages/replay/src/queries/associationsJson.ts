import { associationsOf, type AssociationRecord } from '@meshfold/core';
import type { StateLoader } from './StateLoader.js';

/** `associations -o json` and `/api/associations`: which WorkloadEntries each ServiceEntry selects at `seq`. */
export async function associationsJson(load: StateLoader, seq: number): Promise<{ seq: number; associations: AssociationRecord[] }> {
  return { seq, associations: associationsOf((await load(seq)).state) };
}
