/**
 * Waiting without blocking the event loop.
 *
 * Uses the native `Atomics.waitAsync` where the platform has it. Two platform facts shape this file:
 * - A pending `Atomics.waitAsync` does not keep a Node thread alive (nodejs/node#44729): a worker
 *   whose only pending work is such a wait simply exits. `keepAlive: true` holds a ref'd timer for as
 *   long as the wait is pending.
 * - A native async waiter cannot be withdrawn. When the caller gives up (abort), the native waiter
 *   stays registered and may later absorb a `notify(…, 1)` meant for someone else; such a wake-up is
 *   forwarded to the next waiter so that no notification is lost.
 */
import { spinWhileEqual, type WaitResult } from './wait.js';

export interface WaitAsyncOptions {
  /** Rejects the wait with `signal.reason` when aborted. */
  signal?: AbortSignal | undefined;
  /** Keep the thread's event loop alive while the wait is pending (default false, like a bare wait). */
  keepAlive?: boolean | undefined;
  /** Spin this many reads before parking (default: a short spin); 0 parks at once. */
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

/** Test hook: make `waitAsync` use its fallback even where `Atomics.waitAsync` exists. */
export function useWaitAsyncFallback(on: boolean): void {
  forceFallback = on;
}

const ASYNC_SPIN = 64;
const KEEP_ALIVE_MS = 2 ** 30;

/**
 * Resolves when `i32[index]` is no longer `expected` or a `notify` wakes it: 'ok'; 'not-equal' if it
 * already differed; 'timed-out' after `timeoutMs` (absent = forever). Never blocks the event loop.
 * @throws (rejects) `signal.reason` when `options.signal` aborts first.
 */
export function waitAsync(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
  options: WaitAsyncOptions = {},
): Promise<WaitResult> {
  const { signal, keepAlive = false, spin = ASYNC_SPIN } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (Atomics.load(i32, index) !== expected) return Promise.resolve('not-equal');
  if (timeoutMs !== undefined && timeoutMs <= 0) return Promise.resolve('timed-out');
  if (spin > 0 && spinWhileEqual(i32, index, expected, spin)) return Promise.resolve('ok');
  const timeout = timeoutMs === undefined ? Number.POSITIVE_INFINITY : timeoutMs;
  const parked = nativeWaitAsync && !forceFallback ? parkNative(i32, index, expected, timeout) : parkPolling(i32, index, expected, timeout);
  if (!signal && !keepAlive) return parked.promise;
  return new Promise<WaitResult>((resolve, reject) => {
    const keeper = keepAlive ? setInterval(() => {}, KEEP_ALIVE_MS) : undefined;
    const settle = () => {
      if (keeper) clearInterval(keeper);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      settle();
      parked.abandon();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    parked.promise.then(
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
  promise: Promise<WaitResult>;
  /** The caller no longer listens; pass on any wake-up this waiter absorbs. */
  abandon(): void;
}

function parkNative(i32: Int32Array, index: number, expected: number, timeout: number): Parked {
  const started = performance.now();
  let abandoned = false;
  const once = (remaining: number): Promise<WaitResult> => {
    const result = nativeWaitAsync!(i32, index, expected, remaining);
    if (!result.async) return Promise.resolve(result.value === 'not-equal' ? 'ok' : result.value);
    return result.value.then((value) => {
      if (abandoned) {
        if (value === 'ok') Atomics.notify(i32, index, 1);
        return value;
      }
      if (value === 'timed-out') {
        // Never report a timeout before the caller's deadline (timer rounding).
        const left = timeout - (performance.now() - started);
        if (left > 0) return once(left);
      }
      return value;
    });
  };
  return {
    promise: once(timeout),
    abandon: () => {
      abandoned = true;
    },
  };
}

/**
 * Fallback where `Atomics.waitAsync` is missing: re-read the word on a timer whose period grows from
 * 0 to 16 ms. It sees every change of the word; it cannot see a notify that leaves the word as it was
 * (weft's primitives always change the word before notifying).
 */
function parkPolling(i32: Int32Array, index: number, expected: number, timeout: number): Parked {
  let abandoned = false;
  const promise = new Promise<WaitResult>((resolve) => {
    const deadline = performance.now() + timeout;
    let delay = 0;
    const check = () => {
      if (abandoned) return;
      if (Atomics.load(i32, index) !== expected) return resolve('ok');
      const left = deadline - performance.now();
      if (left <= 0) return resolve('timed-out');
      delay = Math.min(16, delay === 0 ? 1 : delay * 2);
      const timer = setTimeout(check, Math.min(delay, left));
      timer.unref?.();
    };
    setImmediate(check).unref?.();
  });
  return {
    promise,
    abandon: () => {
      abandoned = true;
    },
  };
}
