/**
 * Every error @weft/lock throws. Python's names where Python has one (`RuntimeError`, `ValueError`,
 * `BrokenBarrierError`); each carries a stable `code` so callers can tell misuses apart without
 * parsing messages.
 */

/** Misuse of a primitive's state, as Python's `RuntimeError` (e.g. releasing an unlocked lock). */
export class RuntimeError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

/** A bad argument, as Python's `ValueError` (e.g. a negative timeout, over-releasing a BoundedSemaphore). */
export class ValueError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ValueError';
    this.code = code;
  }
}

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

/** Raised by `lock()` / `lockSync()` / `withLock()` guards when their `timeout` passes before acquiring. */
export class TimeoutError extends Error {
  readonly code = 'ERR_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}
