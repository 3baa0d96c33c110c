/** Thrown by a blocking (`Sync`) call on a thread that may not block, such as a browser's main thread. */
export class SyncWaitNotAllowedError extends Error {
  constructor(what = 'Atomics.wait') {
    super(
      `${what} cannot block this thread (a browser's main thread forbids it): use the async form of this call, or call it from a worker`,
    );
    this.name = 'SyncWaitNotAllowedError';
  }
}
