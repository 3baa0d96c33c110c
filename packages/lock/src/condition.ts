/**
 * Condition: Python's `threading.Condition` across worker threads, over a Lock or RLock (default RLock).
 *
 * Shared memory (Int32Array over a SharedArrayBuffer of 8 + 8 * WAITER_SLOTS bytes), besides the lock's own:
 *
 *   [0]  sequence   +1 on every notify; waiters park on it
 *   [1]  tickets    (tokens << 16) | waiters
 *                   waiters: threads inside wait() that have not yet left it
 *                   tokens:  notifications issued and not yet claimed (always <= waiters)
 *   [2 + 2s]        waiter slot s: owner id of a thread with waits in progress (0: free, -1: being reaped)
 *   [3 + 2s]        how many of the waits counted in [1] are that thread's
 *
 * No lost wake-up: a waiter registers and reads the sequence while it still holds the lock, then
 * releases the lock and parks on "sequence still equals what I read". A notify (made under the lock,
 * so after that read) changes the sequence first, so the waiter either sees the change or is parked and
 * woken by it. Exactness: notify(n) issues at most n tokens (no more than waiters without one); a waiter
 * returns "notified" only by claiming a token, so notify(n) releases at most n waiters, and a waiter
 * woken for nothing (a spinner, or a token someone else claimed) parks again. A waiter that times out
 * leaves with one CAS on [1]; if every waiter still inside holds a token, one of them is its own, so it
 * claims it and reports true, as Python does when a notify and a timeout race.
 *
 * Dead waiters: a thread terminated inside wait() never leaves it. So each waiting thread also counts
 * its waits in a slot of its own, and notify() first unregisters the waits of threads that have
 * exited (one compareExchange claims a dead slot) and drops the tokens beyond the waiters left: a
 * notify is never spent on the dead, and a live waiter never claims a token issued to one. A wait
 * counts itself in [1] before its slot and uncounts its slot before [1], so a thread that dies between
 * the two leaves at worst one dead waiter counted (never a live one uncounted). A thread that finds no
 * free slot (more than WAITER_SLOTS threads waiting at once) waits uncounted there.
 */
import { wait, waitAsync } from '@weft/atomics-sync-shim';
import { RuntimeError, ValueError } from './errors.js';
import { bufferOf, registerKind } from './handle-kinds.js';
import type { Held } from './held.js';
import { Lock, type LockHandle } from './lock.js';
import { RLock, type RLockHandle } from './rlock.js';
import { currentOwnerId, hasThreadExited, threadIdOfOwner } from './thread-identity.js';
import {
  type AcquireOptions,
  deadlineOf,
  remainingUntil,
  throwIfAborted,
  type WaitOptions,
} from './wait-options.js';

const SEQUENCE = 0;
const TICKETS = 1;
const TOKEN = 1 << 16;
const WAITER_MASK = TOKEN - 1;
/** Threads whose waits are tracked at once (see "Dead waiters"). */
const WAITER_SLOTS = 32;
const WORDS = 2 + 2 * WAITER_SLOTS;
const REAPING = -1;

/** What `toHandle` returns and `fromHandle` takes. */
export interface ConditionHandle {
  buffer: SharedArrayBuffer;
  lock: { kind: 'Lock'; handle: LockHandle } | { kind: 'RLock'; handle: RLockHandle };
}

export class Condition {
  private state!: Int32Array;
  private inner!: Lock | RLock;

  /** @param lock the lock to share (Python's `Condition(lock)`); default a new RLock. */
  constructor(lock?: Lock | RLock) {
    if (lock !== undefined && !(lock instanceof Lock) && !(lock instanceof RLock)) {
      throw new TypeError('Condition(lock): lock must be a Lock or an RLock from @weft/lock');
    }
    this.inner = lock ?? new RLock();
    this.state = new Int32Array(new SharedArrayBuffer(4 * WORDS));
  }

  /** Rebuilds a Condition (and its lock) over `handle`'s memory. @throws TypeError */
  static fromHandle(handle: ConditionHandle): Condition {
    const condition = Object.create(Condition.prototype) as Condition;
    const buffer = bufferOf(handle, 'Condition', 8);
    condition.state = new Int32Array(buffer, 0, buffer.byteLength >= 4 * WORDS ? WORDS : 2);
    const lock = handle.lock;
    if (lock?.kind === 'Lock') condition.inner = Lock.fromHandle(lock.handle);
    else if (lock?.kind === 'RLock') condition.inner = RLock.fromHandle(lock.handle);
    else throw new TypeError('not a Condition handle: lock must be { kind: "Lock" | "RLock", handle }');
    return condition;
  }

  /** The condition's shared memory and its lock's, for `fromHandle` in another thread. */
  toHandle(): ConditionHandle {
    const buffer = this.state.buffer as SharedArrayBuffer;
    if (this.inner instanceof RLock)
      return { buffer, lock: { kind: 'RLock', handle: this.inner.toHandle() } };
    return { buffer, lock: { kind: 'Lock', handle: this.inner.toHandle() } };
  }

  /** Whether the calling thread holds the underlying lock. */
  isOwnedByCurrentThread(): boolean {
    return this.inner.isOwnedByCurrentThread();
  }

  /** Acquires the underlying lock (see `Lock.acquire`). */
  acquire(options?: AcquireOptions): Promise<boolean> {
    return this.inner.acquire(options);
  }

  /** Blocking twin of `acquire`. */
  acquireSync(options?: AcquireOptions): boolean {
    return this.inner.acquireSync(options);
  }

  /** Releases the underlying lock. @throws RuntimeError as the lock's `release`. */
  release(): void {
    this.inner.release();
  }

  /** Acquires the lock and returns a guard that releases it on dispose: `using _held = await cond.lock();`. */
  lock(options?: WaitOptions): Promise<Held> {
    return this.inner.lock(options);
  }

  /** Blocking twin of `lock()`. */
  lockSync(options?: WaitOptions): Held {
    return this.inner.lockSync(options);
  }

  /** Runs `fn` (sync or async) holding the lock; releases on every path. */
  withLock<T>(fn: () => T | PromiseLike<T>, options?: WaitOptions): Promise<T> {
    return this.inner.withLock(fn, options);
  }

  /** Blocking twin of `withLock`. */
  withLockSync<T>(fn: () => T, options?: WaitOptions): T {
    return this.inner.withLockSync(fn, options);
  }

  private enter(what: string): number {
    if (!this.inner.isOwnedByCurrentThread()) {
      throw new RuntimeError(`cannot ${what} on un-acquired lock`, 'ERR_NOT_OWNER');
    }
    // The waiter count has 16 bits; one more would carry into the token count.
    if ((Atomics.load(this.state, TICKETS) & WAITER_MASK) === WAITER_MASK) {
      throw new RuntimeError(
        `a Condition supports at most ${WAITER_MASK} waiters at once`,
        'ERR_TOO_MANY_WAITERS',
      );
    }
    Atomics.add(this.state, TICKETS, 1);
    return Atomics.load(this.state, SEQUENCE);
  }

  /** This thread's waiter slot, counting one more wait in it; -1 when untracked. */
  private countWait(): number {
    const state = this.state;
    if (state.length < WORDS) return -1;
    let free = -1;
    for (let slot = 0; slot < WAITER_SLOTS; slot++) {
      const owner = Atomics.load(state, 2 + 2 * slot);
      if (owner === currentOwnerId) {
        Atomics.add(state, 3 + 2 * slot, 1);
        return slot;
      }
      if (owner === 0 && free < 0) free = slot;
    }
    for (let slot = Math.max(free, 0); slot < WAITER_SLOTS; slot++) {
      if (Atomics.compareExchange(state, 2 + 2 * slot, 0, currentOwnerId) === 0) {
        Atomics.add(state, 3 + 2 * slot, 1);
        return slot;
      }
    }
    return -1;
  }

  /** After a wait left [1]: frees its slot if this thread has no other wait counted there. */
  private freeSlotIfIdle(slot: number): void {
    if (slot >= 0 && Atomics.load(this.state, 3 + 2 * slot) === 0) Atomics.store(this.state, 2 + 2 * slot, 0);
  }

  /** Unregisters the waits of threads that have exited, and the tokens beyond the waiters left. */
  private reapDeadWaiters(): void {
    const state = this.state;
    if (state.length < WORDS) return;
    for (let slot = 0; slot < WAITER_SLOTS; slot++) {
      const owner = Atomics.load(state, 2 + 2 * slot);
      if (owner === 0 || owner === REAPING || !hasThreadExited(threadIdOfOwner(owner))) continue;
      if (Atomics.compareExchange(state, 2 + 2 * slot, owner, REAPING) !== owner) continue;
      const dead = Atomics.exchange(state, 3 + 2 * slot, 0);
      for (;;) {
        const tickets = Atomics.load(state, TICKETS);
        const waiters = Math.max(0, (tickets & WAITER_MASK) - dead);
        const tokens = Math.min(tickets >>> 16, waiters);
        if (Atomics.compareExchange(state, TICKETS, tickets, tokens * TOKEN + waiters) === tickets) break;
      }
      Atomics.store(state, 2 + 2 * slot, 0);
    }
  }

  /** Claims a token if one is free: this waiter (counted in `slot`) was notified, and leaves. */
  private claimToken(slot: number): boolean {
    const state = this.state;
    if (Atomics.load(state, TICKETS) < TOKEN) return false;
    // Uncounted from the slot before [1] (see "Dead waiters"); counted again if the token is gone.
    if (slot >= 0) Atomics.sub(state, 3 + 2 * slot, 1);
    for (;;) {
      const tickets = Atomics.load(state, TICKETS);
      if (tickets < TOKEN) {
        if (slot >= 0) Atomics.add(state, 3 + 2 * slot, 1);
        return false;
      }
      if (Atomics.compareExchange(state, TICKETS, tickets, tickets - TOKEN - 1) === tickets) {
        this.freeSlotIfIdle(slot);
        return true;
      }
    }
  }

  /** Leaves (counted in `slot`) without a notification, unless every waiter left holds one (then one is ours). */
  private leave(slot: number): boolean {
    if (slot >= 0) Atomics.sub(this.state, 3 + 2 * slot, 1);
    for (;;) {
      const tickets = Atomics.load(this.state, TICKETS);
      const tokens = tickets >>> 16;
      const waiters = tickets & WAITER_MASK;
      const claim = tokens >= waiters;
      const next = claim ? tickets - TOKEN - 1 : tickets - 1;
      if (Atomics.compareExchange(this.state, TICKETS, tickets, next) === tickets) {
        this.freeSlotIfIdle(slot);
        return claim;
      }
    }
  }

  /**
   * Releases the lock, waits for a notify, and re-acquires the lock before returning (also on timeout
   * and on abort, as Python does), without blocking the event loop.
   * @returns true when notified; false when `timeout` passed first.
   * @throws RuntimeError (`ERR_NOT_OWNER`) if the calling thread does not hold the lock; ValueError for
   *   a bad timeout; rejects with `signal.reason` on abort (after re-acquiring).
   */
  async wait(options: WaitOptions = {}): Promise<boolean> {
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    let sequence = this.enter('wait');
    const slot = this.countWait();
    const saved = this.inner.releaseForWait();
    let notified = false;
    try {
      for (;;) {
        const left = remainingUntil(deadline);
        if (left <= 0) break;
        await waitAsync(this.state, SEQUENCE, sequence, left, { signal: options.signal, keepAlive: true });
        if (this.claimToken(slot)) {
          notified = true;
          break;
        }
        sequence = Atomics.load(this.state, SEQUENCE);
      }
    } finally {
      if (!notified) notified = this.leave(slot);
      await this.inner.restoreAfterWait(saved);
    }
    return notified;
  }

  /** Blocking twin of `wait`. */
  waitSync(options: WaitOptions = {}): boolean {
    const deadline = deadlineOf(options.timeout);
    throwIfAborted(options.signal);
    let sequence = this.enter('wait');
    const slot = this.countWait();
    const saved = this.inner.releaseForWait();
    let notified = false;
    try {
      for (;;) {
        const left = remainingUntil(deadline);
        if (left <= 0) break;
        wait(this.state, SEQUENCE, sequence, left);
        if (this.claimToken(slot)) {
          notified = true;
          break;
        }
        sequence = Atomics.load(this.state, SEQUENCE);
      }
    } finally {
      if (!notified) notified = this.leave(slot);
      this.inner.restoreAfterWaitSync(saved);
    }
    return notified;
  }

  /**
   * Waits until `predicate()` is truthy (checked first, and after every wake-up, holding the lock).
   * @returns the predicate's last value (falsy only when `timeout` passed).
   * @throws as `wait`.
   */
  async waitFor<T>(predicate: () => T, options: WaitOptions = {}): Promise<T> {
    const deadline = deadlineOf(options.timeout);
    let result = predicate();
    while (!result) {
      const left = remainingUntil(deadline);
      if (left <= 0) break;
      await this.wait({
        timeout: left === Number.POSITIVE_INFINITY ? undefined : left,
        signal: options.signal,
      });
      result = predicate();
    }
    return result;
  }

  /** Blocking twin of `waitFor`. */
  waitForSync<T>(predicate: () => T, options: WaitOptions = {}): T {
    const deadline = deadlineOf(options.timeout);
    let result = predicate();
    while (!result) {
      const left = remainingUntil(deadline);
      if (left <= 0) break;
      this.waitSync({
        timeout: left === Number.POSITIVE_INFINITY ? undefined : left,
        signal: options.signal,
      });
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (default 1). The caller must hold the lock.
   * @throws RuntimeError (`ERR_NOT_OWNER`) if it does not; ValueError if `n` is not a non-negative integer.
   */
  notify(n = 1): void {
    if (!this.inner.isOwnedByCurrentThread()) {
      throw new RuntimeError('cannot notify on un-acquired lock', 'ERR_NOT_OWNER');
    }
    if (!Number.isInteger(n) || n < 0)
      throw new ValueError('n must be a non-negative integer', 'ERR_NOTIFY_COUNT');
    this.reapDeadWaiters();
    let issued = 0;
    for (;;) {
      const tickets = Atomics.load(this.state, TICKETS);
      const unnotified = (tickets & WAITER_MASK) - (tickets >>> 16);
      issued = Math.min(n, unnotified);
      if (issued === 0) return;
      if (Atomics.compareExchange(this.state, TICKETS, tickets, tickets + issued * TOKEN) === tickets) break;
    }
    Atomics.add(this.state, SEQUENCE, 1);
    Atomics.notify(this.state, SEQUENCE, issued);
  }

  /** Wakes every waiter. The caller must hold the lock. @throws RuntimeError as `notify`. */
  notifyAll(): void {
    this.notify(WAITER_MASK);
  }
}

registerKind<Condition, ConditionHandle>({
  name: '@weft/lock#Condition',
  type: Condition,
  toHandle: (condition) => condition.toHandle(),
  fromHandle: (handle) => Condition.fromHandle(handle),
});
