/**
 * Named values by name: an open-addressing hash table whose slots hold the values themselves,
 * the name being read off the value. A Map of a namespace's workloads cost ~37 bytes per entry
 * (key, value and chain words, buckets, and room to double); here an entry is one 8-byte slot at
 * 3/8..3/4 load. Linear probing, deletion by shifting the cluster back (no tombstones).
 * Iteration order is slot order, not insertion order: callers sort what they show.
 */
export interface NamedValue {
  readonly name: string;
}

const MIN_CAPACITY = 8;

export class NameTable<V extends NamedValue> {
  #slots: (V | undefined)[] = new Array<V | undefined>(MIN_CAPACITY).fill(undefined);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(name: string): V | undefined {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = hashName(name) & mask; ; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === undefined || v.name === name) return v;
    }
  }

  /** Adds `value`, or replaces the value of the same name. */
  set(value: V): void {
    if ((this.#size + 1) * 4 > this.#slots.length * 3) this.#resize(this.#slots.length * 2);
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = hashName(value.name) & mask;
    for (; slots[i] !== undefined; i = (i + 1) & mask) {
      if (slots[i]!.name === value.name) {
        slots[i] = value;
        return;
      }
    }
    slots[i] = value;
    this.#size++;
  }

  delete(name: string): boolean {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = hashName(name) & mask;
    for (; ; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === undefined) return false;
      if (v.name === name) break;
    }
    slots[i] = undefined;
    this.#size--;
    // Later members of the cluster that probed past `i` move back, so every probe still finds them.
    for (let j = (i + 1) & mask; slots[j] !== undefined; j = (j + 1) & mask) {
      const home = hashName(slots[j]!.name) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = slots[j];
        slots[j] = undefined;
        i = j;
      }
    }
    if (this.#size * 8 < slots.length && slots.length > MIN_CAPACITY) this.#resize(slots.length / 2);
    return true;
  }

  *values(): IterableIterator<V> {
    for (const v of this.#slots) if (v !== undefined) yield v;
  }

  /** The values in an array of their own (slot order), without a generator per value. */
  toArray(): V[] {
    const out: V[] = [];
    for (const v of this.#slots) if (v !== undefined) out.push(v);
    return out;
  }

  #resize(capacity: number): void {
    const old = this.#slots;
    this.#slots = new Array<V | undefined>(capacity).fill(undefined);
    this.#size = 0;
    for (const v of old) if (v !== undefined) this.set(v);
  }
}

/** FNV-1a, then a finaliser so the low bits (the slot) depend on every character. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
