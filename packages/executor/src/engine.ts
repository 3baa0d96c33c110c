/**
 * The executors' view of @weft/pool's engine. Both executors run on a `Pool` — no second
 * implementation of dispatch lives here: this file only names the part of the pool's API the
 * executors use, and builds the pool.
 */
import { availableParallelism } from 'node:os';
import * as poolModule from '@weft/pool';
import { withOwnFramesHidden } from './caller-frames.js';

/** A task in the pool, as the executor controls it. */
export interface TaskControl {
  /** True only if the task was still queued: it is removed and will never run. */
  cancel(): boolean;
  readonly state: 'queued' | 'running' | 'done';
  /** The pool's id of the task (what a worker sees as its current task), where the pool tells it. */
  readonly id?: number;
}

/** One task in the pool: its outcome, and a way to withdraw it while still queued. */
export interface TaskHandle<R> extends TaskControl {
  readonly promise: Promise<R>;
}

/** Receives a task's outcome on the main thread, with the token the task was submitted with. */
export interface TaskSink {
  resolve(value: unknown, token: unknown): void;
  reject(error: unknown, token: unknown): void;
}

export interface SubmitOptions {
  /** Called on the main thread when a worker takes the task. */
  onStart?: () => void;
}

export type AnyFunction = (...args: never[]) => unknown;

/** The pool engine, as the executors use it. */
export interface PoolEngine {
  submit<R>(fn: AnyFunction, args: unknown[], options?: SubmitOptions): TaskHandle<R>;
  /**
   * Like `submit`, but the outcome goes to `sink` and no Promise is made (the pool's own hot path for
   * `applyAsync`; @weft/pool has it). Outcomes reach the sink synchronously from the pool's result
   * handling. Used when present.
   */
  submitTo?(
    sink: TaskSink,
    fn: AnyFunction,
    args: unknown[],
    options: SubmitOptions | undefined,
    token: unknown,
  ): TaskControl;
  /**
   * One task that applies `fn` to each item (`fn(item)`, or `fn(...item)` with `star`): map's
   * `chunksize`. Requested from the pool; until it has it, chunks go through `mapAsync`/`starmapAsync`.
   */
  submitChunk?<R>(
    fn: AnyFunction,
    items: unknown[],
    options: SubmitOptions & { star: boolean },
  ): TaskHandle<R[]>;
  mapAsync(fn: AnyFunction, items: unknown[], chunksize: number): { get(): Promise<unknown[]> };
  starmapAsync(fn: AnyFunction, items: unknown[], chunksize: number): { get(): Promise<unknown[]> };
  onBroken(listener: (error: Error) => void): void;
  readonly broken: Error | undefined;
  close(): void;
  join(): Promise<void>;
  terminate(): Promise<void> | void;
}

export interface EngineOptions {
  initializer?: AnyFunction | undefined;
  initargs?: unknown[] | undefined;
  maxtasksperchild?: number | undefined;
  context: 'thread' | 'process';
  breakOnWorkerDeath: boolean;
  /** Worker names (`${namePrefix}_${i}`), where the pool supports naming its workers. */
  namePrefix?: string | undefined;
}

type PoolConstructor = new (processes: number, options: Record<string, unknown>) => PoolEngine;

/** Creates the pool the executor runs on. */
export function createEngine(workers: number, options: EngineOptions): PoolEngine {
  const Pool = (poolModule as unknown as { Pool?: PoolConstructor }).Pool;
  if (typeof Pool !== 'function') {
    throw new Error('@weft/pool does not export Pool (is it built?); the executors run on its engine');
  }
  const poolOptions: Record<string, unknown> = {
    context: options.context,
    breakOnWorkerDeath: options.breakOnWorkerDeath,
  };
  if (options.initializer !== undefined) poolOptions.initializer = options.initializer;
  if (options.initargs !== undefined) poolOptions.initargs = options.initargs;
  if (options.maxtasksperchild !== undefined) poolOptions.maxtasksperchild = options.maxtasksperchild;
  if (options.namePrefix !== undefined) {
    const prefix = options.namePrefix;
    poolOptions.namePrefix = prefix;
    // CPython's thread.py: '%s_%d' % (prefix, number of threads started before), from 0.
    poolOptions.workerName = (n: number) => `${prefix}_${n}`;
  }
  // The pool looks for the initializer's module from the call site: hide the executor's frames.
  const pool = withOwnFramesHidden(() => new Pool(workers, poolOptions));
  if (typeof pool.submit !== 'function' || typeof pool.onBroken !== 'function') {
    throw new Error("@weft/pool's Pool lacks the engine API (submit, onBroken) the executors need");
  }
  return pool;
}

/** The number of CPUs this process may use. */
export function cpuCount(): number {
  return availableParallelism();
}

/**
 * Submits one chunk of `map` as a single pool task.
 * @param star items are argument tuples (`fn(...item)`); otherwise single arguments (`fn(item)`).
 */
export function submitChunk(
  pool: PoolEngine,
  sink: TaskSink,
  token: unknown,
  fn: AnyFunction,
  items: unknown[],
  star: boolean,
): TaskControl {
  if (pool.submitChunk) {
    const handle = pool.submitChunk<unknown>(fn, items, { star });
    handle.promise.then(
      (value) => sink.resolve(value, token),
      (error: unknown) => sink.reject(error, token),
    );
    return handle;
  }
  // The pool's own chunked map: the same engine and dispatch, one task for the whole chunk; but such
  // a task cannot be withdrawn once submitted, and its start is not reported.
  let state: 'queued' | 'done' = 'queued';
  const result = star ? pool.starmapAsync(fn, items, items.length) : pool.mapAsync(fn, items, items.length);
  result.get().then(
    (value) => {
      state = 'done';
      sink.resolve(value, token);
    },
    (error: unknown) => {
      state = 'done';
      sink.reject(error, token);
    },
  );
  return {
    cancel: () => false,
    get state() {
      return state;
    },
  };
}

/** Submits `fn(...args)` with its outcome sent to `sink`, with `token`. */
export function submitToSink(
  pool: PoolEngine,
  sink: TaskSink,
  token: unknown,
  fn: AnyFunction,
  args: unknown[],
): TaskControl {
  if (pool.submitTo) return pool.submitTo(sink, fn, args, undefined, token);
  const handle = pool.submit<unknown>(fn, args);
  handle.promise.then(
    (value) => sink.resolve(value, token),
    (error: unknown) => sink.reject(error, token),
  );
  return handle;
}
