/**
 * Spin, then park.
 *
 * Waking a thread parked in `Atomics.wait` costs a futex syscall plus a reschedule: 8–35 µs per
 * direction on the virtual machines weft runs on, while a peer that answers within a few microseconds
 * is caught for far less by re-reading the word in a short loop first (a round trip of about 1 µs
 * instead of 17–70 µs). The spin is bounded in time and adapts per SharedArrayBuffer:
 * - a wait that ended soon after parking (within MAX_SPIN_MS) would have been caught by a longer spin,
 *   so the budget doubles — but only while spinning still pays off: each such doubling spends one
 *   credit, and only a wait won by spinning refills them. When the machine has more busy threads than
 *   cores, the peer often runs only *because* the waiter parked; spins then keep failing, the credit
 *   runs out, and the budget stays low (one full-length probe every PROBE_EVERY waits finds out when
 *   that ends);
 * - a wait that went on long after parking (or timed out) was a spin in vain, so the budget halves,
 *   down to MIN_SPIN_MS: an idle thread parks almost at once and costs no CPU.
 * No wait spins longer than MAX_SPIN_MS, whatever happens; on a single CPU no wait spins at all.
 */
import { SyncWaitNotAllowedError } from './errors.js';

/** 'ok': woken by a notify or the word changed; 'not-equal': it already differed; 'timed-out'. */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/** Shortest spin (ms): a couple of microseconds, enough to catch a peer that is answering right now. */
export const MIN_SPIN_MS = 0.002;
/** Longest spin (ms): about twice what parking and waking costs on a slow virtual machine. */
export const MAX_SPIN_MS = 0.05;
const INITIAL_SPIN_MS = 0.01;

/**
 * On a single CPU a spinning waiter only holds off the thread it waits for: never spin there.
 * (`navigator.hardwareConcurrency` in browsers and Node >= 21; `os.availableParallelism` in Node 20.)
 */
function cpuCount(): number {
  const fromNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  if (fromNavigator !== undefined) return fromNavigator;
  const getBuiltinModule = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } } }
  ).process?.getBuiltinModule;
  return getBuiltinModule?.('node:os')?.availableParallelism?.() ?? 2;
}
const SPIN_ALLOWED = cpuCount() > 1;
/** Reads between two looks at the clock: a clock read costs about as much as 30 reads. */
const READS_PER_CLOCK = 64;

const MAX_CREDIT = 3;
const PROBE_EVERY = 64;

interface SpinState {
  budgetMs: number;
  /** Doublings allowed before a spin must win again. */
  credit: number;
  /** Waits since the credit ran out. */
  sinceProbe: number;
}

// Keyed by the buffer, not the view: primitives over one buffer share a pattern of use, and a view
// made afresh for each call must still find its history.
const spinStates = new WeakMap<ArrayBufferLike, SpinState>();

function spinStateOf(i32: Int32Array): SpinState {
  let state = spinStates.get(i32.buffer);
  if (state === undefined) {
    state = { budgetMs: INITIAL_SPIN_MS, credit: MAX_CREDIT, sinceProbe: 0 };
    spinStates.set(i32.buffer, state);
  }
  return state;
}

/** A wait ended while spinning: spinning pays off on this buffer. */
export function adaptAfterSpinWon(i32: Int32Array): void {
  const state = spinStateOf(i32);
  state.credit = MAX_CREDIT;
  state.sinceProbe = 0;
}

/** After parking: learn whether a longer spin would have paid off. */
export function adaptAfterPark(i32: Int32Array, waitedMs: number, timedOut: boolean): void {
  const state = spinStateOf(i32);
  if (!timedOut && waitedMs <= MAX_SPIN_MS && state.credit > 0) {
    state.credit--;
    state.budgetMs = Math.min(MAX_SPIN_MS, state.budgetMs * 2);
    return;
  }
  // Spinning has not paid off lately (no credit): back off faster.
  state.budgetMs = Math.max(MIN_SPIN_MS, state.budgetMs / (state.credit > 0 ? 2 : 4));
  if (state.credit === 0 && ++state.sinceProbe >= PROBE_EVERY) {
    // Probe with a full spin: if the peer answers within it, the win refills the credit.
    state.budgetMs = MAX_SPIN_MS;
    state.sinceProbe = 0;
  }
}

/** The current spin budget (ms) for waits on this buffer, capped at `capMs`. */
export function spinBudgetMs(i32: Int32Array, capMs: number = MAX_SPIN_MS): number {
  if (!SPIN_ALLOWED) return 0;
  return Math.min(capMs, spinStateOf(i32).budgetMs);
}

const pause: (() => void) | undefined = (Atomics as unknown as { pause?: () => void }).pause;

/**
 * Re-reads `i32[index]` until it leaves `expected` or the clock passes `deadline`
 * (a `performance.now()` value); true when it changed.
 */
export function spinUntilChanged(
  i32: Int32Array,
  index: number,
  expected: number,
  deadline: number,
): boolean {
  for (;;) {
    for (let i = 0; i < READS_PER_CLOCK; i++) {
      if (Atomics.load(i32, index) !== expected) return true;
      if (pause !== undefined) pause();
    }
    if (performance.now() >= deadline) return false;
  }
}

/** Re-reads `i32[index]` up to `reads` times (default 256); true when it left `expected`. */
export function spinWhileEqual(i32: Int32Array, index: number, expected: number, reads = 256): boolean {
  for (let i = 0; i < reads; i++) {
    if (Atomics.load(i32, index) !== expected) return true;
  }
  return false;
}

let blockingAllowed: boolean | undefined;

/** Whether this thread may block in `Atomics.wait` (false on a browser's main thread). Never throws. */
export function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      // The check for "may this agent suspend" comes before the value comparison, so a wait on a
      // word that differs throws exactly where blocking is forbidden and returns at once elsewhere.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/** Normalises a timeout in ms: undefined, NaN and +Infinity mean forever. */
export function isForever(timeoutMs: number | undefined): boolean {
  return timeoutMs === undefined || Number.isNaN(timeoutMs) || timeoutMs === Number.POSITIVE_INFINITY;
}

/**
 * Blocks the calling thread while `i32[index] === expected`: spins briefly, then parks in `Atomics.wait`.
 *
 * Returns 'not-equal' if the word already differs; 'ok' once it changes or a `notify` wakes the thread;
 * 'timed-out' when `timeoutMs` (milliseconds; absent, NaN or Infinity = forever) has passed — never
 * before. 'ok' does not promise that the word changed (another waiter's notify, a wake-up forwarded by
 * an abandoned `waitAsync`): re-check the condition and wait again, as with any condition variable.
 * A notify that leaves the word as it was may go unseen while spinning, so a notifier must change the
 * word before notifying (every weft primitive bumps a sequence number or a state word).
 * @throws SyncWaitNotAllowedError where the platform forbids blocking this thread.
 * @throws TypeError / RangeError from `Atomics` for a view that is not an Int32Array over a
 *   SharedArrayBuffer, or an index out of range.
 */
export function wait(i32: Int32Array, index: number, expected: number, timeoutMs?: number): WaitResult {
  if (!canBlock()) throw new SyncWaitNotAllowedError('wait');
  if (Atomics.load(i32, index) !== expected) return 'not-equal';
  const forever = isForever(timeoutMs);
  if (!forever && timeoutMs! <= 0) return 'timed-out';
  const start = performance.now();
  const spinMs = forever ? spinBudgetMs(i32) : Math.min(spinBudgetMs(i32), timeoutMs!);
  if (spinMs > 0 && spinUntilChanged(i32, index, expected, start + spinMs)) {
    adaptAfterSpinWon(i32);
    return 'ok';
  }
  if (forever) {
    const result = Atomics.wait(i32, index, expected);
    adaptAfterPark(i32, performance.now() - start, false);
    // 'not-equal' here means the word changed between the spin and the park: a change, so 'ok'.
    return result === 'timed-out' ? 'timed-out' : 'ok';
  }
  const deadline = start + timeoutMs!;
  for (;;) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      adaptAfterPark(i32, performance.now() - start, true);
      return 'timed-out';
    }
    const result = Atomics.wait(i32, index, expected, remaining);
    if (result !== 'timed-out') {
      adaptAfterPark(i32, performance.now() - start, false);
      return 'ok';
    }
    // The futex timeout may round down; sleep again for what is left rather than report a timeout
    // before the caller's deadline.
  }
}

/**
 * Blocks until `i32[index]` holds a value other than `expected`, absorbing wake-ups that leave the word
 * as it was (spurious ones, or notifies meant for other waiters). Use it on words that only move
 * forward, such as sequence numbers; for flags that may flip back, use `wait` and re-check.
 * Returns 'ok' (also when it already differed) or 'timed-out' after `timeoutMs` — never before.
 * @throws SyncWaitNotAllowedError where the platform forbids blocking this thread.
 */
export function waitUntilChanged(
  i32: Int32Array,
  index: number,
  expected: number,
  timeoutMs?: number,
): 'ok' | 'timed-out' {
  const forever = isForever(timeoutMs);
  const deadline = forever ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs!;
  for (;;) {
    const result = wait(i32, index, expected, forever ? undefined : deadline - performance.now());
    if (result === 'timed-out') return 'timed-out';
    if (Atomics.load(i32, index) !== expected) return 'ok';
  }
}

/**
 * Wakes up to `count` threads (default: all) waiting on `i32[index]`, in `wait` or `waitAsync`;
 * returns how many were parked and woke. Change the word first (see `wait`).
 */
export function notify(i32: Int32Array, index: number, count: number = Number.POSITIVE_INFINITY): number {
  return Atomics.notify(i32, index, count);
}
