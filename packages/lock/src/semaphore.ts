/**
 * Semaphore: Python's `threading.Semaphore` across worker threads; BoundedSemaphore (its own file)
 * shares this memory and adds the upper bound.
 *
 * Shared memory (Int32Array over a 16-byte SharedArrayBuffer):
 *
 *   [0]  value     permits available (never negative)
 *   [1]  waiters   threads parked (or about to park) on [0]; release skips notify when 0
 *   [2]  bounded   0 = Semaphore, 1 = BoundedSemaphore
 *   [3]  bound     the initial value: BoundedSemaphore's ceiling
 *
 * A waiter registers in [1] before re-reading [0] and parking on [0] == 0; a releaser adds to [0]
 * before reading [1]. Both are sequentially consistent, so either the releaser sees the waiter and
 * notifies, or the waiter sees the new permit and does not park: no lost wake-up.
 */
import { wait, waitAsync } from '@weft/atomics-sync-shim';
import { TimeoutError, ValueError } from './errors.js';
import { bufferOf, registerKind } from './handle-kinds.js';
import { Held } from './held.js';
import {
  type AcquireOptions,
  checkAcquireOptions,
  type Deadline,
  deadlineOf,
  remainingUntil,
  throwIfAborted,
  type WaitOptions,
} from './wait-options.js';

const VALUE = 0;
const WAITERS = 1;
const BOUNDED = 2;
const BOUND = 3;

/** What `toHandle` returns and `fromHandle` takes. */
export interface SemaphoreHandle {
  buffer: SharedArrayBuffer;
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new ValueError(
      `${what} must be an integer from 0 to 2**31-1, got ${String(value)}`,
      'ERR_SEMAPHORE_VALUE',
    );
  }
}

export class Semaphore {
  /** @internal */ protected state!: Int32Array;

  /** @throws ValueError if `value` is negative or not an integer. */
  constructor(value = 1) {
    checkCount(value, 'semaphore initial value');
    this.state = new Int32Array(new SharedArrayBuffer(16));
    this.state[VALUE] = value;
    this.state[BOUND] = value;
  }

  /** Rebuilds the semaphore over `handle`'s memory (a BoundedSemaphore if it was one). @throws TypeError */
  static fromHandle(handle: SemaphoreHandle): Semaphore {
    const state = new Int32Array(bufferOf(handle, 'Semaphore', 16), 0, 4);
    const prototype = Atomics.load(state, BOUNDED) === 1 ? boundedPrototype() : Semaphore.prototype;
    const semaphore = Object.create(prototype) as Semaphore;
    semaphore.state = state;
    return semaphore;
  }

  /** The semaphore's shared memory, for `fromHandle` in another thread. */
  toHandle(): SemaphoreHandle {
    return { buffer: this.state.buffer as SharedArrayBuffer };
  }

  private tryTake(): boolean {
    for (;;) {
      const value = Atomics.load(this.state, VALUE);
      if (value === 0) return false;
      if (Atomics.compareExchange(this.state, VALUE, value, value - 1) === value) return true;
    }
  }

  /**
   * Takes one permit without blocking the event loop.
   * @returns true once taken; false if `blocking: false` and none is free, or `timeout` passed.
   * @throws ValueError for bad options; rejects with `signal.reason` on abort.
   */
  async acquire(options: AcquireOptions = {}): Promise<boolean> {
    const blocking = checkAcquireOptions(options);
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    if (this.tryTake()) return true;
    if (!blocking) return false;
    return this.park(deadline, options.signal);
  }

  private async park(deadline: Deadline, signal: AbortSignal | undefined): Promise<boolean> {
    Atomics.add(this.state, WAITERS, 1);
    try {
      for (;;) {
        if (this.tryTake()) return true;
        const left = remainingUntil(deadline);
        if (left <= 0) return false;
        await waitAsync(this.state, VALUE, 0, left, { signal, keepAlive: true });
      }
    } finally {
      Atomics.sub(this.state, WAITERS, 1);
    }
  }

  /** Blocking twin of `acquire`. */
  acquireSync(options: AcquireOptions = {}): boolean {
    const blocking = checkAcquireOptions(options);
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    if (this.tryTake()) return true;
    if (!blocking) return false;
    Atomics.add(this.state, WAITERS, 1);
    try {
      for (;;) {
        if (this.tryTake()) return true;
        const left = remainingUntil(deadline);
        if (left <= 0) return false;
        wait(this.state, VALUE, 0, left);
      }
    } finally {
      Atomics.sub(this.state, WAITERS, 1);
    }
  }

  /**
   * Returns `n` permits (default 1) and wakes up to `n` waiters.
   * @throws ValueError if `n` is not a positive integer (BoundedSemaphore: also if it would exceed the bound).
   */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new ValueError('n must be one or more', 'ERR_SEMAPHORE_VALUE');
    this.addPermits(n);
    if (Atomics.load(this.state, WAITERS) > 0) Atomics.notify(this.state, VALUE, n);
  }

  /** @internal */
  protected addPermits(n: number): void {
    for (;;) {
      const value = Atomics.load(this.state, VALUE);
      if (value + n > 0x7fffffff)
        throw new ValueError('semaphore value would overflow', 'ERR_SEMAPHORE_VALUE');
      if (Atomics.compareExchange(this.state, VALUE, value, value + n) === value) return;
    }
  }

  /** Permits free right now (a snapshot; Python's private `_value`). */
  get value(): number {
    return Atomics.load(this.state, VALUE);
  }

  /** Takes a permit and returns a guard that returns it on dispose. @throws TimeoutError on timeout. */
  async lock(options?: WaitOptions): Promise<Held> {
    if (!(await this.acquire(options))) throw new TimeoutError(`no permit within ${options?.timeout} ms`);
    return new Held(this);
  }

  /** Blocking twin of `lock()`. */
  lockSync(options?: WaitOptions): Held {
    if (!this.acquireSync(options)) throw new TimeoutError(`no permit within ${options?.timeout} ms`);
    return new Held(this);
  }

  /** Runs `fn` (sync or async) holding a permit; returns it on every path. @returns `fn`'s result. */
  async withLock<T>(fn: () => T | PromiseLike<T>, options?: WaitOptions): Promise<T> {
    using _held = await this.lock(options);
    return await fn();
  }

  /** Blocking twin of `withLock` for a synchronous `fn`. */
  withLockSync<T>(fn: () => T, options?: WaitOptions): T {
    using _held = this.lockSync(options);
    return fn();
  }
}

let boundedPrototypeRef: object | undefined;
/** Set by bounded-semaphore.ts so that `fromHandle` can rebuild the right class without an import cycle. */
export function setBoundedPrototype(prototype: object): void {
  boundedPrototypeRef = prototype;
}
function boundedPrototype(): object {
  return boundedPrototypeRef ?? Semaphore.prototype;
}

/** @internal For BoundedSemaphore. */
export const SEMAPHORE_BOUNDED = BOUNDED;
/** @internal For BoundedSemaphore. */
export const SEMAPHORE_BOUND = BOUND;
/** @internal For BoundedSemaphore. */
export const SEMAPHORE_VALUE = VALUE;

registerKind<Semaphore, SemaphoreHandle>({
  name: '@weft/lock#Semaphore',
  type: Semaphore,
  toHandle: (semaphore) => semaphore.toHandle(),
  fromHandle: (handle) => Semaphore.fromHandle(handle),
});
