/**
 * Lock: Python's `threading.Lock` / `multiprocessing.Lock` across worker threads.
 *
 * Shared memory (Int32Array over a 4-byte SharedArrayBuffer):
 *
 *   [0]  lock word   0 unlocked | owner id (locked) | owner id | 1 (locked, waiters may be parked)
 *
 * The engine is lock-word.ts. As in Python, any thread may release a Lock (it is not owned the way an
 * RLock is); the owner id is kept for diagnostics, dead-holder detection and `Condition`.
 */

import { RuntimeError, TimeoutError } from './errors.js';
import { bufferOf, registerKind } from './handle-kinds.js';
import { Held } from './held.js';
import { acquireWordAsync, acquireWordSync, checkOwnerAlive, releaseWord } from './lock-word.js';
import { currentOwnerId, threadIdOfOwner } from './thread-identity.js';
import {
  type AcquireOptions,
  checkAcquireOptions,
  deadlineOf,
  throwIfAborted,
  type WaitOptions,
} from './wait-options.js';

/** What `toHandle` returns and `fromHandle` takes: the lock's shared memory. */
export interface LockHandle {
  buffer: SharedArrayBuffer;
}

export class Lock {
  /** @internal */ protected word!: Int32Array;

  constructor() {
    this.word = new Int32Array(new SharedArrayBuffer(4));
  }

  /** Rebuilds a Lock over the memory of `handle` (from `toHandle`, possibly in another thread). @throws TypeError */
  static fromHandle(handle: LockHandle): Lock {
    const lock = Object.create(Lock.prototype) as Lock;
    lock.word = new Int32Array(bufferOf(handle, 'Lock', 4), 0, 1);
    return lock;
  }

  /** The lock's shared memory, for `fromHandle` in another thread (the codec does this for you). */
  toHandle(): LockHandle {
    return { buffer: this.word.buffer as SharedArrayBuffer };
  }

  /**
   * Acquires the lock without blocking the event loop.
   * @returns true once held; false if `blocking: false` and it is held elsewhere, or `timeout` passed.
   * @throws ValueError for a bad timeout or `blocking: false` with a timeout; OwnerDiedError when the
   *   holder thread exited while holding it; rejects with `signal.reason` on abort.
   */
  async acquire(options?: AcquireOptions): Promise<boolean> {
    if (options === undefined) {
      if (Atomics.compareExchange(this.word, 0, 0, currentOwnerId) === 0) return true;
      return acquireWordAsync(this.word, 0, currentOwnerId, Number.POSITIVE_INFINITY, undefined);
    }
    const blocking = checkAcquireOptions(options);
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    if (Atomics.compareExchange(this.word, 0, 0, currentOwnerId) === 0) return true;
    if (!blocking) return this.failNonBlocking();
    return acquireWordAsync(this.word, 0, currentOwnerId, deadline, options.signal);
  }

  /** Blocking twin of `acquire`: parks the calling thread. Same returns and throws. */
  acquireSync(options?: AcquireOptions): boolean {
    if (options === undefined) {
      if (Atomics.compareExchange(this.word, 0, 0, currentOwnerId) === 0) return true;
      return acquireWordSync(this.word, 0, currentOwnerId, Number.POSITIVE_INFINITY);
    }
    const blocking = checkAcquireOptions(options);
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    if (Atomics.compareExchange(this.word, 0, 0, currentOwnerId) === 0) return true;
    if (!blocking) return this.failNonBlocking();
    return acquireWordSync(this.word, 0, currentOwnerId, deadline);
  }

  private failNonBlocking(): false {
    const held = Atomics.load(this.word, 0);
    if (held !== 0) checkOwnerAlive(this.word, 0, held);
    return false;
  }

  /**
   * Releases the lock (from any thread, as in Python) and wakes one waiter.
   * @throws RuntimeError (`ERR_RELEASE_UNLOCKED`) if it is not locked.
   */
  release(): void {
    if (releaseWord(this.word, 0) === 0) {
      throw new RuntimeError('release unlocked lock', 'ERR_RELEASE_UNLOCKED');
    }
  }

  /** Whether some thread holds the lock right now. */
  locked(): boolean {
    return Atomics.load(this.word, 0) !== 0;
  }

  /** Node `threadId` of the holder, or undefined when unlocked (a snapshot, for diagnostics). */
  get ownerThreadId(): number | undefined {
    const held = Atomics.load(this.word, 0);
    return held === 0 ? undefined : threadIdOfOwner(held);
  }

  /**
   * Acquires and returns a guard that releases on dispose: `using _held = await lock.lock();`.
   * @throws TimeoutError when `timeout` passes first; as `acquire` otherwise.
   */
  async lock(options?: WaitOptions): Promise<Held> {
    if (!(await this.acquire(options)))
      throw new TimeoutError(`could not acquire the lock within ${options?.timeout} ms`);
    return new Held(this);
  }

  /** Blocking twin of `lock()`: `using _held = lock.lockSync();`. */
  lockSync(options?: WaitOptions): Held {
    if (!this.acquireSync(options))
      throw new TimeoutError(`could not acquire the lock within ${options?.timeout} ms`);
    return new Held(this);
  }

  /**
   * Runs `fn` (sync or async) holding the lock, and releases it on every path.
   * @returns what `fn` returns (awaited). @throws what `fn` throws; TimeoutError as `lock()`.
   */
  async withLock<T>(fn: () => T | PromiseLike<T>, options?: WaitOptions): Promise<T> {
    using _held = await this.lock(options);
    return await fn();
  }

  /** Blocking twin of `withLock` for a synchronous `fn`. */
  withLockSync<T>(fn: () => T, options?: WaitOptions): T {
    using _held = this.lockSync(options);
    return fn();
  }

  /** Whether the calling thread holds it (what Condition checks; Python's private `_is_owned`). */
  isOwnedByCurrentThread(): boolean {
    return (Atomics.load(this.word, 0) & ~1) === currentOwnerId;
  }

  /** @internal Condition.wait: release fully and return what restores it. */
  releaseForWait(): number {
    this.release();
    return 1;
  }

  /** @internal Condition.wait: re-acquire after waiting, ignoring timeouts (Python does the same). */
  restoreAfterWaitSync(_saved: number): void {
    this.acquireSync();
  }

  /** @internal */
  async restoreAfterWait(_saved: number): Promise<void> {
    await this.acquire();
  }
}

registerKind<Lock, LockHandle>({
  name: '@weft/lock#Lock',
  type: Lock,
  toHandle: (lock) => lock.toHandle(),
  fromHandle: (handle) => Lock.fromHandle(handle),
});
