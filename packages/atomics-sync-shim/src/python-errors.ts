/**
 * Python's built-in exceptions that every weft package raises, defined once here, in the layer every
 * package stands on, so that `error instanceof TimeoutError` holds whichever package threw it (a lock's
 * timeout, a pool's `AsyncResult.get`, a pipe's `recv`, a future's `result`).
 * Each may carry a stable `code` (e.g. 'ERR_RELEASE_UNLOCKED') to tell misuses apart without parsing
 * messages; the second constructor argument is that code, or `{ code?, cause? }`.
 */

export interface PythonErrorOptions {
  code?: string | undefined;
  cause?: unknown;
}

function split(codeOrOptions: string | PythonErrorOptions | undefined): PythonErrorOptions {
  return typeof codeOrOptions === 'string' ? { code: codeOrOptions } : (codeOrOptions ?? {});
}

/** A bad argument value, or an operation on an object in the wrong state for it (Python's `ValueError`). */
export class ValueError extends Error {
  readonly code: string | undefined;
  constructor(message: string, codeOrOptions?: string | PythonErrorOptions) {
    const { code, cause } = split(codeOrOptions);
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ValueError';
    this.code = code;
  }
}

/** Misuse of a primitive's state, e.g. releasing a lock that is not held (Python's `RuntimeError`). */
export class RuntimeError extends Error {
  readonly code: string | undefined;
  constructor(message: string, codeOrOptions?: string | PythonErrorOptions) {
    const { code, cause } = split(codeOrOptions);
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RuntimeError';
    this.code = code;
  }
}

/** A wait passed its `timeout` before what it waited for happened (Python's `TimeoutError`). */
export class TimeoutError extends Error {
  readonly code: string;
  constructor(message = 'timed out', codeOrOptions?: string | PythonErrorOptions) {
    const { code, cause } = split(codeOrOptions);
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TimeoutError';
    this.code = code ?? 'ERR_TIMEOUT';
  }
}
