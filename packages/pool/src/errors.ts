/**
 * Every error @weft/pool throws, in one place. Python's names where Python has one.
 */

export { TimeoutError, ValueError } from '@weft/atomics-sync-shim';

/** The worker running a task died (uncaught error outside the task, `process.exit`, out of memory, killed). */
export class WorkerCrashedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerCrashedError';
  }
}

/** A queued task was cancelled before any worker took it (`TaskHandle.cancel()`). */
export class CancelledTask extends Error {
  constructor(message = 'the task was cancelled before it started') {
    super(message);
    this.name = 'AbortError';
  }
}

/** A task's `signal` aborted or the pool was terminated while the task was pending. */
export class TaskAbortedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/**
 * A function cannot be sent to a worker: a closure over local variables, a bound method, a native
 * function, or a module that cannot be loaded. The message names the function and the fix.
 */
export class FunctionNotShippableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunctionNotShippableError';
  }
}

/** The pool cannot run tasks any more: its initializer failed, or (with `breakOnWorkerDeath`) a worker died. */
export class BrokenPoolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokenPoolError';
  }
}

/** Carries the worker-side stack of an error thrown in a task (Python's `RemoteTraceback`), set as `cause`. */
export class RemoteTraceback extends Error {
  constructor(stack: string) {
    super(stack);
    this.name = 'RemoteTraceback';
    this.stack = `RemoteTraceback:\n"""\n${stack}\n"""`;
  }
}
