/**
 * ProcessPoolExecutor: an Executor whose workers are child processes (`child_process.fork`, real
 * pids), as Python's `concurrent.futures.ProcessPoolExecutor`.
 */
import { type AnyFunction, cpuCount, createEngine } from './engine.js';
import { BrokenProcessPool } from './errors.js';
import { Executor } from './executor.js';
import { validate } from './thread-pool-executor.js';

export interface ProcessPoolExecutorOptions {
  /** Child processes (default: `cpuCount()`). */
  maxWorkers?: number | undefined;
  /** Runs once in each child before its first task; if it throws, the executor is broken. */
  initializer?: AnyFunction | undefined;
  /** Arguments of `initializer`. */
  initargs?: unknown[] | undefined;
  /** A child exits after this many tasks and a fresh one replaces it (default: never). */
  maxTasksPerChild?: number | undefined;
}

export class ProcessPoolExecutor extends Executor {
  /** The number of child processes. */
  readonly maxWorkers: number;

  /**
   * @param options the options, or just `maxWorkers`.
   * @throws RangeError if `maxWorkers` or `maxTasksPerChild` is not a positive integer; TypeError if
   *   `initializer` is not a function or `initargs` not an array.
   */
  constructor(options: ProcessPoolExecutorOptions | number = {}) {
    const {
      maxWorkers = cpuCount(),
      initializer,
      initargs,
      maxTasksPerChild,
    } = typeof options === 'number' ? { maxWorkers: options } : options;
    validate(maxWorkers, initializer, initargs);
    if (maxTasksPerChild !== undefined && (!Number.isInteger(maxTasksPerChild) || maxTasksPerChild <= 0)) {
      throw new RangeError(`maxTasksPerChild must be a positive integer, got ${String(maxTasksPerChild)}`);
    }
    const engine = createEngine(maxWorkers, {
      context: 'process',
      initializer,
      initargs,
      maxtasksperchild: maxTasksPerChild,
      // As in Python: a child that dies abruptly breaks the pool; every pending future fails.
      breakOnWorkerDeath: true,
    });
    super(
      engine,
      BrokenProcessPool,
      'A process in the process pool was terminated abruptly, or its initializer failed; the process pool is not usable anymore',
    );
    this.maxWorkers = maxWorkers;
  }
}
