/**
 * ThreadPoolExecutor: an Executor whose workers are `worker_threads` (Python's
 * `concurrent.futures.ThreadPoolExecutor`, but with real parallelism: no GIL).
 */
import { type AnyFunction, cpuCount, createEngine } from './engine.js';
import { BrokenThreadPool } from './errors.js';
import { Executor } from './executor.js';

export interface ThreadPoolExecutorOptions {
  /** Worker threads (default, as Python: `min(32, cpuCount() + 4)`). */
  maxWorkers?: number | undefined;
  /** Runs once in each worker before its first task; if it throws, the executor is broken. */
  initializer?: AnyFunction | undefined;
  /** Arguments of `initializer`. */
  initargs?: unknown[] | undefined;
  /** Names the workers `${threadNamePrefix}_0`, `_1`, … (default `ThreadPoolExecutor-N`). */
  threadNamePrefix?: string | undefined;
}

let executorCounter = 0;

export class ThreadPoolExecutor extends Executor {
  /** The number of worker threads. */
  readonly maxWorkers: number;
  /** The prefix of the workers' names. */
  readonly threadNamePrefix: string;

  /**
   * @param options the options, or just `maxWorkers` (`new ThreadPoolExecutor(3)`, as in Python).
   * @throws RangeError if `maxWorkers` is not a positive integer; TypeError if `initializer` is not
   *   a function or `initargs` not an array.
   */
  constructor(options: ThreadPoolExecutorOptions | number = {}) {
    const {
      maxWorkers = Math.min(32, cpuCount() + 4),
      initializer,
      initargs,
      threadNamePrefix,
    } = typeof options === 'number' ? { maxWorkers: options } : options;
    validate(maxWorkers, initializer, initargs);
    const prefix = threadNamePrefix ?? `ThreadPoolExecutor-${executorCounter++}`;
    const engine = createEngine(maxWorkers, {
      context: 'thread',
      initializer,
      initargs,
      // Python's thread pool breaks only when an initializer fails; a crashed worker thread is the
      // pool's to replace (its task fails with WorkerCrashedError).
      breakOnWorkerDeath: false,
      namePrefix: prefix,
    });
    super(engine, BrokenThreadPool, 'A thread initializer failed, the thread pool is not usable anymore');
    this.maxWorkers = maxWorkers;
    this.threadNamePrefix = prefix;
  }
}

export function validate(
  maxWorkers: unknown,
  initializer: unknown,
  initargs: unknown,
): asserts maxWorkers is number {
  if (typeof maxWorkers !== 'number' || !Number.isInteger(maxWorkers) || maxWorkers <= 0) {
    throw new RangeError(`maxWorkers must be an integer greater than 0, got ${String(maxWorkers)}`);
  }
  if (initializer !== undefined && typeof initializer !== 'function') {
    throw new TypeError(`initializer must be a function, got ${typeof initializer}`);
  }
  if (initargs !== undefined && !Array.isArray(initargs)) {
    throw new TypeError(`initargs must be an array, got ${typeof initargs}`);
  }
}
