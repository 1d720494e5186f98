/**
 * Passes `items` through, and calls `idle` once whenever the source has kept the consumer waiting
 * for `ms`. `record --serve` uses it to append what it holds while a live stream (kubectl watch)
 * is quiet, instead of waiting for a full batch.
 *
 * `idle` runs while the consumer is suspended on this generator, so it never races the
 * consumer's own code.
 */
export async function* onIdle<T>(items: AsyncIterable<T>, ms: number, idle: () => Promise<void> | void): AsyncGenerator<T> {
  const iterator = items[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<'quiet'>((resolve) => { timer = setTimeout(() => resolve('quiet'), ms); });
      let result = await Promise.race([next, quiet]);
      clearTimeout(timer);
      if (result === 'quiet') {
        await idle();
        result = await next;
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
