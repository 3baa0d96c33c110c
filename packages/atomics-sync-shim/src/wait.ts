/**
 * Spin, then park.
 *
 * Waking a thread parked in `Atomics.wait` costs tens of microseconds on a virtual machine (a futex
 * syscall plus a reschedule); a peer that answers within a few microseconds is caught far cheaper by
 * re-reading the word in a short loop first. The spin is bounded and adaptive: it grows while spins
 * succeed and shrinks while they fail, so an idle thread parks almost at once and costs no CPU.
 */
import { SyncWaitNotAllowedError } from './errors.js';

export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

const MIN_SPIN = 16;
const MAX_SPIN = 4096;
let spinBudget = 256;

function adapt(spinSucceeded: boolean): void {
  if (spinSucceeded) spinBudget = Math.min(MAX_SPIN, spinBudget * 2);
  else spinBudget = Math.max(MIN_SPIN, spinBudget >> 1);
}

/** Spins up to the adaptive budget; true when the word left `expected`. */
export function spinWhileEqual(i32: Int32Array, index: number, expected: number, budget = spinBudget): boolean {
  for (let i = 0; i < budget; i++) {
    if (Atomics.load(i32, index) !== expected) return true;
  }
  return false;
}

let blockingAllowed: boolean | undefined;

/** Whether this thread may block in `Atomics.wait` (false on a browser's main thread). */
export function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/**
 * Blocks the calling thread while `i32[index] === expected`.
 * Returns 'not-equal' if the word already differs, 'ok' once it changes or a `notify` wakes the
 * thread, 'timed-out' when `timeoutMs` (milliseconds; absent = forever) passes first — never early.
 * A notify that does not change the word may be missed while spinning, so a notifier must change
 * the word before notifying (every weft primitive does).
 * @throws SyncWaitNotAllowedError where the platform forbids blocking this thread.
 */
export function wait(i32: Int32Array, index: number, expected: number, timeoutMs?: number): WaitResult {
  if (Atomics.load(i32, index) !== expected) return 'not-equal';
  if (!canBlock()) throw new SyncWaitNotAllowedError();
  if (timeoutMs !== undefined && timeoutMs <= 0) return 'timed-out';
  const spun = spinWhileEqual(i32, index, expected);
  adapt(spun);
  if (spun) return 'ok';
  if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY) {
    const result = Atomics.wait(i32, index, expected);
    return result === 'not-equal' ? 'ok' : result;
  }
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) return 'timed-out';
    const result = Atomics.wait(i32, index, expected, remaining);
    if (result !== 'timed-out') return 'ok';
    // Atomics.wait may round its timeout down; go back to sleep for what is left rather than
    // report a timeout before the caller's deadline.
  }
}

/** Wakes up to `count` threads (default: all) waiting on `i32[index]`; returns how many woke. */
export function notify(i32: Int32Array, index: number, count: number = Number.POSITIVE_INFINITY): number {
  return Atomics.notify(i32, index, count);
}
