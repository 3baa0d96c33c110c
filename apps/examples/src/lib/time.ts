/**
 * The notes' sleeps, kept real: `sleep(2000)` waits 2 s when run by hand. Tests (and impatient
 * readers) set WEFT_TIME_SCALE (e.g. 0.05) to scale every sleep of every example, never to skip one.
 */
const parsed = Number(process.env.WEFT_TIME_SCALE ?? '1');

/** The factor every sleep is multiplied by (WEFT_TIME_SCALE, default 1). */
export const timeScale = Number.isFinite(parsed) && parsed >= 0 ? parsed : 1;

/** `ms` scaled by WEFT_TIME_SCALE. */
export function scaled(ms: number): number {
  return ms * timeScale;
}

/** Python's `time.sleep`, for async code: resolves after `ms` × WEFT_TIME_SCALE milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, scaled(ms)));
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Python's `time.sleep` as it really is: it blocks the calling thread (a worker, or a script that has
 * nothing else to do). Nothing ever notifies `sleeper`, so Atomics.wait simply times out.
 */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, scaled(ms));
}

/** Seconds since `startMs` (a `performance.now()` value), like `time.time() - start`. */
export function secondsSince(startMs: number): string {
  return ((performance.now() - startMs) / 1000).toFixed(2);
}
