export { AsyncResult, type ResultCallbacks } from './async-result.js';
export { cpuCount } from './cpu-count.js';
export type { SubmitOptions, TaskControl, TaskHandle, TaskSink } from './engine.js';
export {
  BrokenPoolError,
  CancelledTask,
  FunctionNotShippableError,
  RemoteTraceback,
  TaskAbortedError,
  TimeoutError,
  ValueError,
  WorkerCrashedError,
} from './errors.js';
export { type TaskFunction, task } from './function-ref.js';
export { IMapIterator } from './imap-iterator.js';
export { type Local, local } from './local.js';
export {
  type ApplyArgs,
  Pool,
  type PoolOptions,
  type TaskOptions,
  type TaskResult,
  type UnaryTask,
} from './pool.js';
export { activeChildren, Process, type ProcessOptions } from './process.js';
export {
  currentProcess,
  currentTaskId,
  isMainThread,
  type ProcessInfo,
  parentProcess,
  taskSignal,
} from './runtime.js';
export { Timer } from './timer.js';
