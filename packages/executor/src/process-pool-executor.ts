/**
 * ProcessPoolExecutor: an Executor whose workers are child processes (`child_process.fork`, real
 * pids), as Python's `concurrent.futures.ProcessPoolExecutor`.
 */
import { type AnyFunction, cpuCount, createEngine } from './engine.js';
import { BrokenProcessPool } from './errors.js';
import { Executor } from './executor.js';
import { Future } from './future.js';
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
      true,
    );
    this.maxWorkers = maxWorkers;
  }

  /**
   * A Future lives in shared memory, which cannot cross to another process: refuse it at once
   * (Python refuses too: a Future cannot be pickled) rather than let the child get a dead copy.
   */
  protected override checkArguments(args: readonly unknown[]): void {
    args.forEach((arg, i) => {
      const nested = Array.isArray(arg) ? arg : isPlainObject(arg) ? Object.values(arg) : [];
      if (arg instanceof Future || nested.some((value) => value instanceof Future)) {
        throw new TypeError(
          `argument ${i + 1} is or holds a Future, which cannot be passed to a child process (its state is in shared memory, which does not cross processes); wait for it here and pass its value, or use a ThreadPoolExecutor`,
        );
      }
    });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
