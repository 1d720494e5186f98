/**
 * Runs async tasks one at a time, in call order. Appends go through one so that
 * seqs are assigned from a lastSeq that no concurrent write can change under them.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // A failed task must not fail, or block, the tasks queued after it.
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Settles once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
