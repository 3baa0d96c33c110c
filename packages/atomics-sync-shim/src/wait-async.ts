/**
 * Waiting without blocking the event loop.
 *
 * Uses the native `Atomics.waitAsync` where the platform has it, and a polling fallback elsewhere.
 * Three platform facts shape this file:
 * - A pending `Atomics.waitAsync` does not keep a Node thread alive (nodejs/node#44729): a worker whose
 *   only pending work is such a wait simply exits. `keepAlive: true` holds a ref'd timer for as long as
 *   the wait is pending.
 * - A native async waiter cannot be withdrawn. When the caller gives up (abort), the native waiter stays
 *   registered and may later absorb a `notify(…, 1)` meant for someone else; such a wake-up is forwarded
 *   with a `notify(…, 1)` of its own so that no notification is lost (at worst another waiter sees one
 *   spurious wake-up). So that abandoned waiters do not pile up on a quiet word, an abortable wait is
 *   armed in slices of ABORTABLE_SLICE_MS: an abandoned one lingers at most that long.
 * - The fallback cannot see a notify, only changes of the word; weft's protocol (change the word, then
 *   notify) makes that enough.
 */
import {
  adaptAfterPark,
  adaptAfterSpinWon,
  isForever,
  spinBudgetMs,
  spinUntilChanged,
  type WaitResult,
} from './wait.js';

export interface WaitAsyncOptions {
  /** Rejects the wait with `signal.reason` when aborted. */
  signal?: AbortSignal | undefined;
  /** Keep the thread's event loop alive while the wait is pending (default false, like a bare wait). */
  keepAlive?: boolean | undefined;
  /**
   * Spin at most this many microseconds before parking (default: adaptive, at most 20 µs, since a spin
   * holds up this thread's event loop); 0 parks at once.
   */
  spin?: number | undefined;
}

type NativeWaitAsync = (
  i32: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

const nativeWaitAsync: NativeWaitAsync | undefined = (Atomics as unknown as { waitAsync?: NativeWaitAsync })
  .waitAsync;

let forceFallback = false;

/** Test hook: make `waitAsync` use its polling fallback even where `Atomics.waitAsync` exists. */
export function useWaitAsyncFallback(on: boolean): void {
  forceFallback = on;
}

/** Whether `waitAsync` uses the native `Atomics.waitAsync` on this thread right now. */
export function hasNativeWaitAsync(): boolean {
  return nativeWaitAsync !== undefined && !forceFallback;
}

const ASYNC_MAX_SPIN_MS = 0.02;
const ABORTABLE_SLICE_MS = 1000;
const KEEP_ALIVE_MS = 2 ** 30;
const POLL_MAX_DELAY_MS = 16;

/**
 * Resolves when `i32[index]` is no longer `expected` or a `notify` wakes it: 'ok'; 'not-equal' if it
 * already differed; 'timed-out' once `timeoutMs` (milliseconds; absent, NaN or Infinity = forever) has
 * passed — never before. Never blocks the event loop beyond a spin of a few microseconds. As with
 * `wait`, 'ok' asks the caller to re-check its condition.
 * A pending wait does not keep the thread alive unless `options.keepAlive` is true.
 * @throws (rejects) `signal.reason` when `options.signal` aborts first; TypeError / RangeError for a
 *   view that is not an Int32Array over a SharedArrayBuffer or an index out of range.
 */
export function waitAsync(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
  options: WaitAsyncOptions = {},
): Promise<WaitResult> {
  try {
    return startWaitAsync(i32, index, expected, timeoutMs, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

function startWaitAsync(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number | undefined,
  { signal, keepAlive = false, spin }: WaitAsyncOptions,
): Promise<WaitResult> {
  if (!(i32 instanceof Int32Array) || !(i32.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError('waitAsync needs an Int32Array over a SharedArrayBuffer');
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (Atomics.load(i32, index) !== expected) return Promise.resolve('not-equal');
  const forever = isForever(timeoutMs);
  if (!forever && timeoutMs! <= 0) return Promise.resolve('timed-out');
  const start = performance.now();
  const spinMs = spin === undefined ? spinBudgetMs(i32, ASYNC_MAX_SPIN_MS) : Math.max(0, spin) / 1000;
  if (
    spinMs > 0 &&
    spinUntilChanged(i32, index, expected, start + (forever ? spinMs : Math.min(spinMs, timeoutMs!)))
  ) {
    adaptAfterSpinWon(i32);
    return Promise.resolve('ok');
  }
  const deadline = forever ? Number.POSITIVE_INFINITY : start + timeoutMs!;
  const parked = hasNativeWaitAsync()
    ? parkNative(i32, index, expected, deadline, signal !== undefined)
    : parkPolling(i32, index, expected, deadline);
  const learned = parked.promise.then((result) => {
    adaptAfterPark(i32, performance.now() - start, result === 'timed-out');
    return result;
  });
  if (!signal && !keepAlive) return learned;
  return new Promise<WaitResult>((resolve, reject) => {
    const keeper = keepAlive ? setInterval(() => {}, KEEP_ALIVE_MS) : undefined;
    const settle = () => {
      if (keeper !== undefined) clearInterval(keeper);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      settle();
      parked.abandon();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    learned.then(
      (result) => {
        settle();
        resolve(result);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

interface Parked {
  /** Settles with the outcome; never settles once abandoned. */
  promise: Promise<WaitResult>;
  /** The caller no longer listens: stop, and pass on any wake-up this waiter absorbs. */
  abandon(): void;
}

function parkNative(
  i32: Int32Array,
  index: number,
  expected: number,
  deadline: number,
  abortable: boolean,
): Parked {
  let abandoned = false;
  const arm = (): Promise<WaitResult> => {
    const remaining = deadline - performance.now();
    if (remaining <= 0) return Promise.resolve('timed-out');
    const slice = abortable ? Math.min(remaining, ABORTABLE_SLICE_MS) : remaining;
    const result = nativeWaitAsync!(i32, index, expected, slice);
    // 'not-equal' at arming time means the word changed since the caller looked: a change, so 'ok'.
    if (!result.async) return Promise.resolve(result.value === 'not-equal' ? 'ok' : arm());
    return result.value.then((value) => {
      if (abandoned) {
        if (value === 'ok') Atomics.notify(i32, index, 1);
        return new Promise<WaitResult>(() => {});
      }
      // A slice ended, or the timer fired a little early: wait on for what is left of the deadline.
      if (value === 'timed-out') return arm();
      return value;
    });
  };
  return {
    promise: arm(),
    abandon: () => {
      abandoned = true;
    },
  };
}

/**
 * The fallback: re-read the word on a timer whose period grows from 1 to 16 ms. It sees every change
 * of the word, not a notify that leaves the word as it was. Its timers are unref'd, so that, like the
 * native wait, it keeps the thread alive only with `keepAlive`.
 */
function parkPolling(i32: Int32Array, index: number, expected: number, deadline: number): Parked {
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<WaitResult>((resolve) => {
    let delay = 0;
    const check = () => {
      if (abandoned) return;
      if (Atomics.load(i32, index) !== expected) return resolve('ok');
      const left = deadline - performance.now();
      if (left <= 0) return resolve('timed-out');
      delay = Math.min(POLL_MAX_DELAY_MS, delay === 0 ? 1 : delay * 2);
      // Timers, not setImmediate: an unref'd immediate does not stop the event loop from sleeping in
      // its poll phase until the next timer, which with keepAlive's long timer never comes.
      timer = setTimeout(check, Math.min(delay, left));
      timer.unref();
    };
    check();
  });
  return {
    promise,
    abandon: () => {
      abandoned = true;
      clearTimeout(timer);
    },
  };
}
