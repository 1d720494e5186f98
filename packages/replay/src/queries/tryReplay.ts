import { isMeshfoldError, type Delta, type LoggedEvent, type Projector } from '@meshfold/core';

/** Replays one event, or skips it when the fold refuses it: its association deltas, or undefined if refused. */
export function tryReplay(projector: Projector, event: LoggedEvent): readonly Delta[] | undefined {
  try {
    return projector.replay(event, event.seq).deltas;
  } catch (err) {
    if (!isMeshfoldError(err)) throw err;
    projector.skip(event.seq);
    return undefined;
  }
}
