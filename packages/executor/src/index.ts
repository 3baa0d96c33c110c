// Registers Future as a @weft/codec handle kind, so that futures can be passed to tasks.
import './shared-future.js';

export { asCompleted, type Completed } from './as-completed.js';
export {
  BrokenExecutor,
  BrokenProcessPool,
  BrokenThreadPool,
  CancelledError,
  DeadlockError,
  InvalidStateError,
  TimeoutError,
} from './errors.js';
export { Executor, type IterablesFor, type MapOptions, type ShutdownOptions } from './executor.js';
export { Future, type FutureState } from './future.js';

export { ProcessPoolExecutor, type ProcessPoolExecutorOptions } from './process-pool-executor.js';
export { ThreadPoolExecutor, type ThreadPoolExecutorOptions } from './thread-pool-executor.js';
export {
  ALL_COMPLETED,
  type DoneAndNotDone,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  wait,
} from './wait.js';
