/**
 * The worker thread of {@link FoldWorker}: folds the events the recording thread appended and
 * takes the snapshots it is to write. Everything it is sent was accepted by `checkEvent`, so it
 * is folded as checked (not validated twice); the fold refusing one is a bug, reported as a failure.
 */
import { parentPort } from 'node:worker_threads';
import { Projector, type WatchEvent } from '@meshfold/core';
import { DEFAULT_SNAPSHOT_EVERY, SnapshotChain, snapshotSpacing } from '@meshfold/store';
import { LinkBlockBuilder } from '../linkIndex/LinkBlockBuilder.js';
import type { FromFoldThread, TakenSnapshot, ToFoldThread } from './FoldWorker.js';

const port = parentPort!;
let projector = new Projector();
let snapshotEvery = DEFAULT_SNAPSHOT_EVERY;
let sinceSnapshot = 0;
let chain = new SnapshotChain();
/** Set when the log's link index is to be kept: it covers every seq before the first one folded here. */
let links: LinkBlockBuilder | undefined;

function take(): TakenSnapshot {
  const state = chain.take(projector);
  sinceSnapshot = 0;
  return { seq: state.seq, objects: state.objects, hash: Projector.digest(state), ...(state.base !== undefined && { base: state.base }) };
}

function answer(message: ToFoldThread): FromFoldThread | undefined {
  switch (message.kind) {
    case 'init':
      projector = message.objects === undefined ? new Projector() : Projector.fromSnapshot({ seq: message.seq, objects: message.objects });
      snapshotEvery = message.snapshotEvery;
      links = message.links ? new LinkBlockBuilder() : undefined;
      chain = new SnapshotChain();
      return undefined;
    case 'events': {
      const { texts } = message;
      const notices: (FromFoldThread & { kind: 'folded' })['notices'] = [];
      const snapshots: TakenSnapshot[] = [];
      texts.forEach((text, i) => {
        const event = JSON.parse(text) as WatchEvent;
        const seq = message.firstSeq + i;
        const applied = projector.replay(event, seq, true); // checked by the recording thread
        if (applied.notice) notices.push({ seq, ...applied.notice });
        if (applied.change) chain.touch(applied.change.key);
        links?.add(seq, event, applied);
        // At the very seq ProjectedLog would take it: the same rule, event by event.
        if (++sinceSnapshot >= snapshotSpacing(projector.state, snapshotEvery)) snapshots.push(take());
      });
      const through = message.firstSeq + texts.length - 1;
      return {
        kind: 'folded', notices, snapshots,
        ...(links && { links: { from: message.firstSeq, through, blocks: links.take() } }),
      };
    }
    case 'snapshot':
      return { kind: 'snapshot', ...(projector.seq > 0 && { snapshot: take() }) };
  }
}

port.on('message', (message: ToFoldThread) => {
  let reply: FromFoldThread | undefined;
  try {
    reply = answer(message);
  } catch (err) {
    reply = { kind: 'failed', message: String((err as Error)?.message ?? err) };
  }
  if (reply) port.postMessage(reply);
});
