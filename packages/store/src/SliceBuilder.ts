/**
 * Builds the many small byte strings of one batch (keys, values) in a reused scratch buffer and
 * hands them out as slices of one exact-size buffer. Allocating each as its own ArrayBuffer cost
 * more than LevelDB's write of it; one buffer per batch wastes nothing even where the store keeps
 * the slices themselves (memory-level does).
 */
export class SliceBuilder {
  #scratch = new Uint8Array(1 << 16);
  #length = 0;
  #ends: number[] = [];

  /** Appends one slice made of `parts`, back to back. */
  add(a: Uint8Array, b?: Uint8Array, c?: Uint8Array): void {
    const length = a.length + (b?.length ?? 0) + (c?.length ?? 0);
    this.#reserve(length);
    let at = this.#length;
    this.#scratch.set(a, at);
    at += a.length;
    if (b) {
      this.#scratch.set(b, at);
      at += b.length;
    }
    if (c) this.#scratch.set(c, at);
    this.#length += length;
    this.#ends.push(this.#length);
  }

  /** The slices added since the last call, in order; the builder is then empty. */
  finish(): Uint8Array[] {
    const bytes = this.#scratch.slice(0, this.#length);
    const slices = this.#ends.map((end, i) => bytes.subarray(i === 0 ? 0 : this.#ends[i - 1], end));
    this.#length = 0;
    this.#ends = [];
    return slices;
  }

  #reserve(length: number): void {
    if (this.#length + length <= this.#scratch.length) return;
    const grown = new Uint8Array(Math.max(this.#scratch.length * 2, this.#length + length));
    grown.set(this.#scratch.subarray(0, this.#length));
    this.#scratch = grown;
  }
}
