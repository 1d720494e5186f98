import { Packr } from 'msgpackr';
import type { Location, Resolution } from '../objects.js';
import type {
  ObjectRecord, PortRecord, ServiceEntryRecord, WorkloadEntryRecord, WorkloadRecord, WorkloadTraits,
} from '../records.js';

/**
 * The live objects of a snapshot as one compact, canonical msgpack value: records become arrays,
 * and every map (labels, ports, selectors, traits, port lists) and namespace is written once in
 * a table and referred to by index. The records it restores share their maps, as the fold's own
 * records do. Deterministic: tables are filled in the order of the (sorted) records.
 * Snapshots written before this held the same value as JSON text; they are still read.
 */
type Ref = number; // index into `tables`, or -1 for undefined
type WorkloadRow = [name: string, address: string, ports: Ref, labels: Ref, traits: Ref];
type ServiceRow = [
  ns: Ref, name: string, hosts: string[], addresses: string[], ports: Ref, location: string, resolution: string,
  selector: Ref, endpoints: WorkloadRow[],
];
type WorkloadEntryRow = [ns: Ref, ...WorkloadRow];
interface Encoded { tables: unknown[]; services: ServiceRow[]; workloads: WorkloadEntryRow[]; removed?: string[] }

/**
 * Plain maps, no records (a snapshot must decode in any process), and map sizes that fit each
 * map: a label map may hold 65 536 entries or more, which msgpackr's fixed 16-bit size cannot.
 * msgpack, not JSON text: msgpackr restores the tables and rows in about half the time
 * `JSON.parse` takes on the same value, and a time travel restores a whole state (README,
 * "Time travel").
 */
const packr = new Packr({ useRecords: false, variableMapSize: true });

/** `removed`: a delta's keys of objects gone since its base (a full snapshot has none, and no such field). */
export function encodeObjects(records: readonly ObjectRecord[], removed?: readonly string[]): Uint8Array {
  // Table entries are told apart by their JSON, so equal maps that are not the same object share one entry.
  const tables: unknown[] = [];
  const index = new Map<string, number>();
  // Records share interned maps, so most lookups are answered by identity, without serialising.
  const seen = new Map<unknown, number>();
  const ref = (value: unknown): Ref => {
    if (value === undefined) return -1;
    let i = seen.get(value);
    if (i !== undefined) return i;
    const key = tableKey(value);
    i = index.get(key);
    if (i === undefined) {
      i = tables.push(value) - 1;
      index.set(key, i);
    }
    seen.set(value, i);
    return i;
  };
  const row = (w: WorkloadRecord): WorkloadRow => [w.name, w.address, ref(w.ports), ref(w.labels), ref(w.traits)];
  // Records come sorted by namespace, so most share the namespace of the one before.
  let namespace: string | undefined;
  let namespaceRef: Ref = -1;
  const refOfNamespace = (ns: string): Ref => {
    if (ns !== namespace) {
      namespace = ns;
      namespaceRef = ref(ns);
    }
    return namespaceRef;
  };
  const encoded: Omit<Encoded, 'tables'> = { services: [], workloads: [] };
  for (const r of records) {
    if (r.kind === 'ServiceEntry') {
      // hosts and addresses are written as they are (JSON.stringify takes the frozen arrays).
      encoded.services.push([refOfNamespace(r.namespace), r.name, r.hosts as string[], r.addresses as string[], ref(r.ports), r.location,
        r.resolution, ref(r.selector), r.endpoints.map(row)]);
    } else {
      encoded.workloads.push([refOfNamespace(r.namespace), r.name, r.address, ref(r.ports), ref(r.labels), ref(r.traits)]);
    }
  }
  const value: Encoded = { tables, ...encoded, ...(removed !== undefined && { removed: [...removed] }) };
  // A copy: msgpackr's returned bytes share a buffer it writes on.
  return packr.pack(value).slice();
}

/**
 * The JSON of a table value, which says whether two values are the same entry. The interned maps
 * and lists are frozen and live across many snapshots, so each is serialised once, not once per
 * snapshot.
 */
const tableKeys = new WeakMap<object, string>();

function tableKey(value: unknown): string {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return JSON.stringify(value);
  let key = tableKeys.get(value);
  if (key === undefined) {
    key = JSON.stringify(value);
    tableKeys.set(value, key);
  }
  return key;
}

/**
 * `objects` as the JSON text meshfold wrote before it wrote msgpack: the same value, so the
 * digest of a snapshot written then can be checked against a state rebuilt now.
 */
export function objectsAsText(objects: Uint8Array | string): string {
  return typeof objects === 'string' ? objects : JSON.stringify(parse(objects));
}

/** Throws a SyntaxError when `objects` is not a snapshot's value. */
export function decodeObjects(objects: Uint8Array | string): ObjectRecord[] {
  return decodeEncoded(parse(objects));
}

/** A delta's objects and the keys of the objects it removes. */
export function decodeDelta(objects: Uint8Array | string): { records: ObjectRecord[]; removed: string[] } {
  const encoded = parse(objects);
  const removed = encoded.removed;
  if (!Array.isArray(removed) || !removed.every((key) => typeof key === 'string')) {
    throw new SyntaxError('not a meshfold delta snapshot: expected removed, a list of keys');
  }
  return { records: decodeEncoded(encoded), removed };
}

/** msgpack as written now, or JSON text as written before. */
function parse(objects: Uint8Array | string): Encoded {
  if (typeof objects === 'string') return JSON.parse(objects) as Encoded;
  try {
    return packr.unpack(objects) as Encoded;
  } catch (err) {
    throw new SyntaxError(`not a meshfold snapshot: its bytes are not msgpack (${(err as Error).message})`);
  }
}

function decodeEncoded(encoded: Encoded): ObjectRecord[] {
  if (encoded === null || typeof encoded !== 'object') throw new SyntaxError('not a meshfold snapshot: expected tables, services and workloads');
  const { tables, services, workloads } = encoded;
  if (!Array.isArray(tables) || !Array.isArray(services) || !Array.isArray(workloads)) {
    throw new SyntaxError('not a meshfold snapshot: expected tables, services and workloads');
  }
  for (const t of tables) if (t !== null && typeof t === 'object') Object.freeze(t);
  const at = <T>(i: Ref): T => (i < 0 ? undefined : tables[i]) as T;
  const workload = (kind: WorkloadRecord['kind'], namespace: string, [name, address, ports, labels, traits]: WorkloadRow): WorkloadRecord =>
    ({ kind, namespace, name, address, ports: at(ports), labels: at(labels), traits: at<WorkloadTraits>(traits) });
  const out: ObjectRecord[] = [];
  for (const [ns, name, hosts, addresses, ports, location, resolution, selector, endpoints] of services) {
    const namespace = at<string>(ns);
    out.push({
      kind: 'ServiceEntry', namespace, name, hosts, addresses, ports: at<readonly PortRecord[]>(ports),
      location: location as Location, resolution: resolution as Resolution, selector: at(selector),
      endpoints: endpoints.map((e) => workload('ServiceEntry', namespace, e)),
    } satisfies ServiceEntryRecord);
  }
  for (const [ns, ...rest] of workloads) out.push(workload('WorkloadEntry', at<string>(ns), rest) as WorkloadEntryRecord);
  return out;
}
