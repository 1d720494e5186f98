import { associationsOf, endpointsOf } from '@meshfold/core';
import { diffStates, type StateDiff, type StatePoint } from './diffStates.js';
import type { StateLoader } from './StateLoader.js';

/** `diff -o json` and `/api/diff`: what changed between two seqs. */
export async function diffJson(load: StateLoader, from: number, to: number): Promise<StateDiff> {
  return diffStates(await statePoint(load, from), await statePoint(load, to));
}

async function statePoint(load: StateLoader, seq: number): Promise<StatePoint> {
  const { state } = await load(seq);
  return { seq, endpoints: endpointsOf(state), associations: associationsOf(state) };
}
