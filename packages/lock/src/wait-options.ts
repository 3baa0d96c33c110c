/** Options every waiting call shares, and how they turn into a deadline. */
import { ValueError } from './errors.js';

export interface WaitOptions {
  /** Milliseconds to wait; absent, `undefined` or `Infinity` = forever. */
  timeout?: number | undefined;
  /** Aborting rejects/throws `signal.reason` (the primitive is left as if the call had not been made). */
  signal?: AbortSignal | undefined;
}

export interface AcquireOptions extends WaitOptions {
  /** `false` answers at once (like Python's `blocking=False`); default true. */
  blocking?: boolean | undefined;
}

/** Milliseconds left until a deadline; `Infinity` for none. */
export type Deadline = number;

/** Turns a timeout into an absolute deadline (performance.now() clock). @throws ValueError for a bad timeout. */
export function deadlineOf(timeout: number | undefined): Deadline {
  if (timeout === undefined || timeout === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw new ValueError(
      `timeout must be a non-negative number of milliseconds, got ${String(timeout)}`,
      'ERR_TIMEOUT',
    );
  }
  return performance.now() + timeout;
}

/** Milliseconds from now until `deadline` (never negative; Infinity for none). */
export function remainingUntil(deadline: Deadline): number {
  if (deadline === Number.POSITIVE_INFINITY) return deadline;
  return Math.max(0, deadline - performance.now());
}

/** Checks `acquire` options the way Python does. @throws ValueError for `blocking: false` with a timeout. */
export function checkAcquireOptions(options: AcquireOptions): boolean {
  const blocking = options.blocking ?? true;
  if (!blocking && options.timeout !== undefined) {
    throw new ValueError("can't specify a timeout for a non-blocking call", 'ERR_NONBLOCKING_TIMEOUT');
  }
  return blocking;
}

/** Throws the signal's reason if it has aborted (the common prelude of every wait). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
