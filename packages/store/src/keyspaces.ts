import type { AbstractBatchOperation, AbstractLevel, AbstractSublevel } from 'abstract-level';

/** Any abstract-level database that stores binary keys and values (classic-level, memory-level). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LevelDatabase = AbstractLevel<string | Buffer | Uint8Array, any, any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BatchOperation = AbstractBatchOperation<LevelDatabase, any, any>;

export type BinaryKeyspace = AbstractSublevel<LevelDatabase, string | Buffer | Uint8Array, Uint8Array, Uint8Array>;
export type NamedKeyspace = AbstractSublevel<LevelDatabase, string | Buffer | Uint8Array, string, Uint8Array>;

/** The keyspaces of a log, each a sublevel so that one batch can write to all of them. */
export interface Keyspaces {
  /** seq → event */
  events: BinaryKeyspace;
  /** seq → snapshot */
  snapshots: BinaryKeyspace;
  /** time + seq → seq */
  time: BinaryKeyspace;
  /** `Kind/ns/name` NUL seq → empty: the events of each object */
  objects: BinaryKeyspace;
  /** index name NUL group NUL seq → block: derived indexes (see indexKeys) */
  indexes: BinaryKeyspace;
  /** name → value: the format version and the last seq */
  meta: NamedKeyspace;
}

/** Sublevels close with their database, so they are made anew on every open. */
export function keyspaces(db: LevelDatabase): Keyspaces {
  const binary = { keyEncoding: 'view', valueEncoding: 'view' } as const;
  return {
    events: db.sublevel<Uint8Array, Uint8Array>('events', binary),
    snapshots: db.sublevel<Uint8Array, Uint8Array>('snapshots', binary),
    time: db.sublevel<Uint8Array, Uint8Array>('time', binary),
    objects: db.sublevel<Uint8Array, Uint8Array>('objects', binary),
    indexes: db.sublevel<Uint8Array, Uint8Array>('indexes', binary),
    meta: db.sublevel<string, Uint8Array>('meta', { keyEncoding: 'utf8', valueEncoding: 'view' }),
  };
}
