/**
 * Every error @weft/lock throws. Python's names where Python has one (`RuntimeError`, `ValueError`,
 * `BrokenBarrierError`); each carries a stable `code` so callers can tell misuses apart without
 * parsing messages.
 */

import { RuntimeError } from '@weft/atomics-sync-shim';

export { RuntimeError, TimeoutError, ValueError } from '@weft/atomics-sync-shim';

/** Raised by `Barrier.wait` in every waiter when the barrier is aborted, reset, times out or its action throws. */
export class BrokenBarrierError extends RuntimeError {
  constructor(message = 'the barrier is broken') {
    super(message, 'ERR_BROKEN_BARRIER');
    this.name = 'BrokenBarrierError';
  }
}

/**
 * Raised to a thread that waits for (or tries) a Lock/RLock whose holder thread has exited without
 * releasing it. The data the lock protected may be half-updated; a plain `Lock` can be released by the
 * thread that repairs it (`lock.release()`), after which it works again.
 */
export class OwnerDiedError extends RuntimeError {
  /** Node's `threadId` of the thread that exited while holding the lock. */
  readonly ownerThreadId: number;
  constructor(ownerThreadId: number) {
    super(
      `the lock is held by thread ${ownerThreadId}, which exited without releasing it; the data it protects may be inconsistent`,
      'ERR_OWNER_DIED',
    );
    this.name = 'OwnerDiedError';
    this.ownerThreadId = ownerThreadId;
  }
}
