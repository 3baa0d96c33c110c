export { SyncBridgeClosedError, SyncBridgeTimeoutError, SyncWaitNotAllowedError } from './errors.js';
export { type PythonErrorOptions, RuntimeError, TimeoutError, ValueError } from './python-errors.js';
export {
  type BridgeArgs,
  type BridgeResult,
  createSyncBridge,
  type FunctionNames,
  type SyncBridge,
  type SyncBridgeOptions,
} from './sync-bridge.js';
export {
  canBlock,
  MAX_SPIN_MS,
  MIN_SPIN_MS,
  notify,
  spinUntilChanged,
  spinWhileEqual,
  type WaitResult,
  wait,
  waitUntilChanged,
} from './wait.js';
export { hasNativeWaitAsync, useWaitAsyncFallback, type WaitAsyncOptions, waitAsync } from './wait-async.js';
