import { TimeoutError } from './python-errors.js';

/** Thrown by a blocking (`Sync`) call on a thread that may not block, such as a browser's main thread. */
export class SyncWaitNotAllowedError extends Error {
  constructor(what = 'Atomics.wait') {
    super(
      `${what} cannot block this thread (a browser's main thread forbids it): use the async form of this call, or call it from a worker`,
    );
    this.name = 'SyncWaitNotAllowedError';
  }
}

/** A sync bridge call got no answer within its timeout. The helper thread may still finish the work. */
export class SyncBridgeTimeoutError extends TimeoutError {
  constructor(
    readonly functionName: string,
    readonly timeoutMs: number,
  ) {
    super(`sync bridge call ${functionName}() got no answer within ${timeoutMs} ms`);
    this.name = 'SyncBridgeTimeoutError';
  }
}

/** A sync bridge was closed, or its helper thread died; `cause` tells why when it died. */
export class SyncBridgeClosedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncBridgeClosedError';
  }
}
