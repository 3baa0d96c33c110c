export { canBlock, notify, spinWhileEqual, wait, type WaitResult } from './wait.js';
export { useWaitAsyncFallback, waitAsync, type WaitAsyncOptions } from './wait-async.js';
export { SyncWaitNotAllowedError } from './errors.js';
