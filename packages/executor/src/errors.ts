/**
 * Every error @weft/executor throws, with Python's `concurrent.futures` names where Python has one.
 * Each sets `name` so that it survives a trip through a worker and reads well in a stack trace.
 */

export { TimeoutError } from '@weft/atomics-sync-shim';

/** The future was cancelled: `result()` and `exception()` of a cancelled future throw it. */
export class CancelledError extends Error {
  constructor(message = 'the future was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** An operation was done on a future in a state that does not allow it (e.g. `setResult` twice). */
export class InvalidStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}

/**
 * The executor can no longer run tasks: a worker failed to initialize, or a child process died.
 * Its pending futures fail with it and later submits are refused.
 */
export class BrokenExecutor extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokenExecutor';
  }
}

/** A {@link ThreadPoolExecutor} is broken (a worker's initializer failed, or a worker thread died). */
export class BrokenThreadPool extends BrokenExecutor {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokenThreadPool';
  }
}

/** A {@link ProcessPoolExecutor} is broken (an initializer failed, or a child process died). */
export class BrokenProcessPool extends BrokenExecutor {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokenProcessPool';
  }
}

/**
 * Waiting would never end: a task waits on a future whose task (directly or through others) waits
 * on the first one (the notes' p16), or a blocking `resultSync()` was called on the very thread that
 * must complete the future. Python hangs forever in both cases; weft reports it.
 */
export class DeadlockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlockError';
  }
}
