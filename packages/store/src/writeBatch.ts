import type { BatchOperation, LevelDatabase } from './keyspaces.js';

/**
 * Writes `operations` (puts and deletes) as one atomic batch through a chained batch: classic-level's
 * array form reads every operation object's properties from native code, one by one, which costs
 * about twice what the chained form's one call per put does (docs/benchmarks.md: "Append path").
 * Either way LevelDB applies the whole batch or none of it.
 */
export async function writeBatch(db: LevelDatabase, operations: readonly BatchOperation[], options: object): Promise<void> {
  const batch = db.batch();
  try {
    for (const op of operations) {
      if (op.type === 'put') {
        if (op.sublevel) batch.put(op.key, op.value, { sublevel: op.sublevel });
        else batch.put(op.key, op.value);
      } else if (op.sublevel) batch.del(op.key, { sublevel: op.sublevel });
      else batch.del(op.key);
    }
  } catch (err) {
    await batch.close();
    throw err;
  }
  await batch.write(options);
}
