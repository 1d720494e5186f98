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
  // Each wait races a promise of its own that the stop settles, never `stop` itself: every race
  // leaves a reaction on each promise it races, and one on `stop`, which lives as long as the
  // recording, would keep every item ever passed through reachable (all the input read).
  let stopping = false;
  let wake: ((value: typeof STOPPED) => void) | undefined;
  void stop?.then(() => {
    stopping = true;
    wake?.(STOPPED);
  });
  const untilStopped = () => new Promise<typeof STOPPED>((resolve) => {
    if (stopping) resolve(STOPPED);
    else wake = resolve;
  });
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
      let result = await Promise.race([next, quiet, untilStopped()]);
      clearTimeout(timer);
      if (result === QUIET) {
        await idle();
        result = await Promise.race([next, untilStopped()]);
      }
      wake = undefined;
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
