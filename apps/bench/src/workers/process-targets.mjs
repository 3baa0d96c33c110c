// Targets of the process bench's rows, run in `context: 'process'` children: weft finds them in the
// child by this module's URL and export name. Each measures in the child and puts its figure on `out`.

/** Loops `lock.acquireSync(); lock.release()` `warmup` times, then `n` times under the clock; puts µs per round trip. */
export function lockRoundTrips(lock, out, warmup, n) {
  for (let i = 0; i < warmup; i++) {
    lock.acquireSync();
    lock.release();
  }
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    lock.acquireSync();
    lock.release();
  }
  out.putSync(((performance.now() - start) * 1000) / n);
}

/**
 * Puts 'ready', and once `start` is set adds 1 to `value` `n` times under the Value's own lock; puts the wall-clock
 * times (ms since the epoch) at which it began and ended, so the parent can time both children together.
 */
export function valueIncrements(value, start, out, n) {
  const lock = value.getLock();
  out.putSync('ready');
  start.waitSync();
  const began = performance.timeOrigin + performance.now();
  for (let i = 0; i < n; i++) {
    lock.acquireSync();
    try {
      value.value = value.value + 1;
    } finally {
      lock.release();
    }
  }
  out.putSync([began, performance.timeOrigin + performance.now()]);
}
