/**
 * Passes `items` through, and calls `idle` once whenever the source has kept the consumer waiting
 * for `ms`. `record` uses it to append what it holds while a live stream (kubectl watch) is
 * quiet, instead of waiting for a full batch.
 *
 * `idle` runs while the consumer is suspended on this generator, so it never races the
 * consumer's own code.
 *
 * When `stop` resolves, the generator ends at once, even while the source is waiting for input
 * (a terminal or a pipe that never closes): the caller then destroys the source. The read
 * still in flight is abandoned, so what it would have produced never counts as read.
 */
export async function* onIdle<T>(
  items: AsyncIterable<T>, ms: number, idle: () => Promise<void> | void, stop?: Promise<unknown>,
): AsyncGenerator<T> {
  const iterator = items[Symbol.asyncIterator]();
  const stopped = (stop ?? new Promise<never>(() => {})).then((): typeof STOPPED => STOPPED);
  // A read in flight: the iterator cannot be returned while it waits (return() would queue
  // behind it, forever on an open terminal), so the finally block leaves it alone.
  let inFlight = false;
  try {
    for (;;) {
      const next = iterator.next();
      inFlight = true;
      // Abandoned on stop: its rejection (a destroyed stream) must not surface as unhandled.
      next.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<typeof QUIET>((resolve) => { timer = setTimeout(() => resolve(QUIET), ms); });
      let result = await Promise.race([next, quiet, stopped]);
      clearTimeout(timer);
      if (result === QUIET) {
        await idle();
        result = await Promise.race([next, stopped]);
      }
      if (result === STOPPED) return;
      inFlight = false;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    if (!inFlight) await iterator.return?.();
  }
}

const QUIET = Symbol('quiet');
const STOPPED = Symbol('stopped');
