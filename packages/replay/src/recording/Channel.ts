/**
 * An unbounded queue read as an async iterable that never ends by itself: `watch` merges the
 * items of its two kubectl watches (and their ends) into one, in the order they arrive.
 */
export class Channel<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
    this.#wake = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async () => {
        while (this.#items.length === 0) await new Promise<void>((resolve) => { this.#wake = resolve; });
        return { value: this.#items.shift()!, done: false };
      },
      return: async () => ({ value: undefined, done: true }),
    };
  }
}
