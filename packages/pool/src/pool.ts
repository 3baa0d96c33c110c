/**
 * Pool: Python's `multiprocessing.Pool` over the engine (workers pull tasks from shared memory).
 */
import { AsyncResult, type ResultCallbacks } from './async-result.js';
import { cpuCount } from './cpu-count.js';
import { Engine, type SubmitOptions, type TaskControl, type TaskHandle, type TaskSink } from './engine.js';
import { ValueError } from './errors.js';
import type { TaskFunction } from './function-ref.js';
import { IMapIterator } from './imap-iterator.js';
import { encodePayload } from './payload.js';
import { ProcessEngine } from './process-engine.js';
import { MODE_APPLY, MODE_MAP, MODE_STARMAP } from './worker-words.js';

/** The awaited result type of a task function. */
export type TaskResult<F extends TaskFunction> = Awaited<ReturnType<F>>;
/** A function of one argument, as `map` and `imap` call it. */
export type UnaryTask = (arg: never) => unknown;
/** `args` of `apply`: may be left out when the function takes none. */
export type ApplyArgs<F extends TaskFunction> =
  Parameters<F> extends [] ? [args?: []] : [args: Parameters<F>];

export interface PoolOptions {
  /** Called in each worker with `initargs` before it takes tasks (Python's `initializer`). */
  initializer?: TaskFunction | undefined;
  initargs?: readonly unknown[] | undefined;
  /** A worker is replaced after this many tasks (Python's `maxtasksperchild`). */
  maxtasksperchild?: number | undefined;
  /** `'thread'` (default): worker threads pulling from shared memory. `'process'`: child processes (IPC). */
  context?: 'thread' | 'process' | undefined;
  /** Advanced (ProcessPoolExecutor): a worker dying breaks the pool instead of being replaced. */
  breakOnWorkerDeath?: boolean | undefined;
  /** How long an aborted or timed-out task may run on before its worker is replaced (default 1000 ms). */
  abortGraceMs?: number | undefined;
  /** Workers are named `${namePrefix}-${n}` (default `'PoolWorker'`), as `currentProcess().name` shows. */
  namePrefix?: string | undefined;
  /**
   * Advanced (ThreadPoolExecutor, whose threads Python names `${prefix}_0`, `_1`, ...): the name of the
   * worker thread started `n`-th (from 0), instead of `${namePrefix}-${n + 1}`. Thread context only.
   */
  workerName?: ((n: number) => string) | undefined;
}

export interface TaskOptions {
  /** Milliseconds: the task rejects with TimeoutError and is told through `taskSignal()`. */
  timeout?: number | undefined;
  /** Aborting rejects the task and tells it through `taskSignal()`. */
  signal?: AbortSignal | undefined;
}

/** Shared default options: a fresh `{}` per call is garbage on the hot path. */
const NO_OPTIONS = Object.freeze({});

const RUN = 0;
const CLOSE = 1;
const TERMINATE = 2;

/**
 * A pool of worker threads (Python's `multiprocessing.Pool`).
 *
 * ```ts
 * await using pool = new Pool(4);
 * console.log(await pool.map(square, [1, 2, 3])); // [1, 4, 9]
 * ```
 */
export class Pool {
  private readonly engine: Engine | ProcessEngine;
  private state = RUN;

  /**
   * @param processes number of workers (default `cpuCount()`).
   * @throws ValueError when `processes < 1` or `maxtasksperchild` is not a positive integer;
   *   TypeError when `initializer` is not a function.
   */
  constructor(processes?: number | null, options: PoolOptions = {}) {
    if (processes !== undefined && processes !== null) {
      if (!Number.isInteger(processes))
        throw new TypeError(`processes must be an integer, got ${String(processes)}`);
      if (processes < 1) throw new ValueError('Number of processes must be at least 1');
    }
    if (options.initializer !== undefined && typeof options.initializer !== 'function') {
      throw new TypeError('initializer must be a callable');
    }
    const { maxtasksperchild } = options;
    if (maxtasksperchild !== undefined && (!Number.isInteger(maxtasksperchild) || maxtasksperchild <= 0)) {
      throw new ValueError('maxtasksperchild must be a positive int or undefined');
    }
    if (options.context !== undefined && options.context !== 'thread' && options.context !== 'process') {
      throw new ValueError(`context must be 'thread' or 'process', got ${String(options.context)}`);
    }
    const Implementation = options.context === 'process' ? ProcessEngine : Engine;
    this.engine = new Implementation({
      processes: processes ?? cpuCount(),
      initializer: options.initializer,
      initargs: options.initargs,
      maxtasksperchild,
      breakOnWorkerDeath: options.breakOnWorkerDeath,
      abortGraceMs: options.abortGraceMs,
      namePrefix: options.namePrefix,
      workerName: options.workerName,
    });
  }

  /** Number of workers. */
  get processes(): number {
    return this.engine.processes;
  }

  private check(): void {
    if (this.state !== RUN) throw new ValueError('Pool not running');
  }

  /**
   * Runs `fn(...args)` in a worker (Python's `apply`, which blocks; here a Promise).
   * @returns the task's value. @throws the task's error (with the worker stack as `cause`);
   *   ValueError if the pool is closed; DataCloneError (at once, nothing queued) naming the path of
   *   a value in `args` that cannot cross (`args[0].cb is a function`).
   */
  async apply<F extends TaskFunction>(
    fn: F,
    ...rest: [...ApplyArgs<F>, TaskOptions?]
  ): Promise<TaskResult<F>> {
    this.check();
    const [args, options] = rest as unknown as [unknown[] | undefined, TaskOptions | undefined];
    return this.engine.submit<TaskResult<F>>(fn, MODE_APPLY, args ?? [], options ?? {}).promise;
  }

  /**
   * Runs `fn(...args)` in a worker; `callback`/`errorCallback` run on the main thread.
   * @returns an AsyncResult (`get(timeoutMs)`, `wait`, `ready`, `successful`; also awaitable).
   * @throws ValueError if the pool is closed; DataCloneError (at once, nothing queued) naming the
   *   path of a value in `args` that cannot cross (`args[0].cb is a function`).
   */
  applyAsync<F extends TaskFunction>(
    fn: F,
    args?: Parameters<F>,
    options: ResultCallbacks<TaskResult<F>> & TaskOptions = NO_OPTIONS,
  ): AsyncResult<TaskResult<F>> {
    this.check();
    const result = new AsyncResult<TaskResult<F>>(options);
    this.engine.enqueue(fn, MODE_APPLY, args ?? [], options, result);
    return result;
  }

  /**
   * `fn` over every item, results in order (Python's `map`).
   * @param chunksize items per task (default: as Python computes it, about 4 chunks per worker).
   * @throws the first failing item's error; ValueError for `chunksize < 1` or a closed pool;
   *   DataCloneError (at once, nothing runs) naming an item that cannot cross (`iterable[3].cb ...`).
   */
  async map<F extends UnaryTask>(
    fn: F,
    iterable: Iterable<Parameters<F>[0]>,
    chunksize?: number,
  ): Promise<TaskResult<F>[]> {
    return this.mapChunks<TaskResult<F>>(fn, MODE_MAP, iterable, chunksize);
  }

  /** Like `map`, returning an AsyncResult; callbacks run on the main thread. */
  mapAsync<F extends UnaryTask>(
    fn: F,
    iterable: Iterable<Parameters<F>[0]>,
    chunksize?: number,
    callbacks: ResultCallbacks<TaskResult<F>[]> = {},
  ): AsyncResult<TaskResult<F>[]> {
    return settleFrom(this.mapChunks<TaskResult<F>>(fn, MODE_MAP, iterable, chunksize), callbacks);
  }

  /** `fn(...args)` for every args array, results in order (Python's `starmap`). */
  async starmap<F extends TaskFunction>(
    fn: F,
    iterable: Iterable<Parameters<F>>,
    chunksize?: number,
  ): Promise<TaskResult<F>[]> {
    return this.mapChunks<TaskResult<F>>(fn, MODE_STARMAP, iterable, chunksize);
  }

  /** Like `starmap`, returning an AsyncResult. */
  starmapAsync<F extends TaskFunction>(
    fn: F,
    iterable: Iterable<Parameters<F>>,
    chunksize?: number,
    callbacks: ResultCallbacks<TaskResult<F>[]> = {},
  ): AsyncResult<TaskResult<F>[]> {
    return settleFrom(this.mapChunks<TaskResult<F>>(fn, MODE_STARMAP, iterable, chunksize), callbacks);
  }

  private mapChunks<R>(
    fn: TaskFunction,
    mode: number,
    iterable: Iterable<unknown>,
    chunksize: number | undefined,
  ): Promise<R[]> {
    this.check();
    const items = Array.isArray(iterable) ? (iterable as unknown[]) : [...iterable];
    let size = chunksize;
    if (size === undefined) {
      size = Math.floor(items.length / (this.engine.processes * 4));
      if (items.length % (this.engine.processes * 4)) size += 1;
    } else checkChunksize(size);
    if (items.length === 0) return Promise.resolve([]);
    const chunks: Promise<R[]>[] = [];
    const handles: TaskHandle<R[]>[] = [];
    for (let start = 0; start < items.length; start += size) {
      const chunk = start === 0 && size >= items.length ? items : items.slice(start, start + size);
      let handle: TaskHandle<R[]>;
      try {
        handle = this.engine.submit<R[]>(fn, mode, chunk);
      } catch (error) {
        // Nothing of this call runs: withdraw the chunks already queued, and name the item by its
        // place in the whole input rather than in its chunk.
        for (const queued of handles) {
          queued.promise.catch(() => {});
          queued.cancel();
        }
        throw locateUnsendable(error, chunk, start);
      }
      handles.push(handle);
      chunks.push(handle.promise);
    }
    return Promise.all(chunks).then((parts) => {
      if (parts.length === 1) return parts[0]!;
      const out = new Array<R>(items.length);
      let at = 0;
      for (const part of parts) for (let i = 0; i < part.length; i++) out[at++] = part[i]!;
      return out;
    });
  }

  /**
   * Lazily maps `fn` over `iterable`: an async iterator of results in order (Python's `imap`).
   * `next(timeoutMs)` throws TimeoutError when no result arrives in time.
   */
  imap<F extends UnaryTask>(
    fn: F,
    iterable: Iterable<Parameters<F>[0]>,
    chunksize = 1,
  ): IMapIterator<TaskResult<F>> {
    return this.iterate(fn, iterable, chunksize, true);
  }

  /** Like `imap`, in the order results arrive (Python's `imap_unordered`). */
  imapUnordered<F extends UnaryTask>(
    fn: F,
    iterable: Iterable<Parameters<F>[0]>,
    chunksize = 1,
  ): IMapIterator<TaskResult<F>> {
    return this.iterate(fn, iterable, chunksize, false);
  }

  private iterate<R>(
    fn: TaskFunction,
    iterable: Iterable<unknown>,
    chunksize: number,
    ordered: boolean,
  ): IMapIterator<R> {
    this.check();
    checkChunksize(chunksize);
    const window = Math.max(16, this.engine.processes * 4);
    const iterator = iterable[Symbol.iterator]();
    // Chunks are read and submitted in input order: `read` is where the next chunk starts.
    let read = 0;
    return new IMapIterator<R>(
      iterator,
      chunksize,
      window,
      (items) => {
        const start = read;
        read += items.length;
        try {
          return this.engine.submit<R[]>(fn, MODE_MAP, items).promise;
        } catch (error) {
          throw locateUnsendable(error, items, start);
        }
      },
      ordered,
    );
  }

  /**
   * Advanced (used by @weft/executor): queues one call `fn(...args)` and returns its handle.
   * @throws ValueError if the pool is closed or terminated; DataCloneError (at once, nothing queued)
   *   naming the path of a value in `args` that cannot cross.
   */
  submit<F extends TaskFunction>(
    fn: F,
    args: Parameters<F>,
    options: SubmitOptions = {},
  ): TaskHandle<TaskResult<F>> {
    this.check();
    return this.engine.submit<TaskResult<F>>(fn, MODE_APPLY, args, options);
  }

  /**
   * Advanced (used by @weft/executor): like `submit`, but the task's value or error is handed to
   * `sink.resolve(value, token)` / `sink.reject(error, token)` on the main thread, and no Promise is
   * made (the fast path).
   * @param token handed back with the outcome: one sink can serve every task, with no object per task.
   * @returns the task's control (`cancel`, `state`, `id`). If the pool is broken, `sink.reject` has
   *   already been called and the control reports `'done'`.
   * @throws as `submit`.
   */
  submitTo<F extends TaskFunction>(
    sink: TaskSink,
    fn: F,
    args: Parameters<F>,
    options: SubmitOptions = NO_OPTIONS,
    token?: unknown,
  ): TaskControl {
    this.check();
    return this.engine.submitTo(sink, fn, MODE_APPLY, args, options, token);
  }

  /** Advanced: `listener` hears the error that broke the pool (initializer failed, or a worker died with `breakOnWorkerDeath`). Returns an unsubscribe function. */
  onBroken(listener: (error: Error) => void): () => void {
    return this.engine.onBroken(listener);
  }

  /** Advanced: the error that broke the pool, if it is broken. */
  get broken(): Error | undefined {
    return this.engine.broken;
  }

  /** No more tasks may be submitted; the workers exit once the queued ones are done (after `join`). */
  close(): void {
    if (this.state === RUN) this.state = CLOSE;
    this.engine.close();
  }

  /**
   * Waits for the queued tasks and for the workers to exit.
   * @throws ValueError if called before `close()` or `terminate()`.
   */
  async join(): Promise<void> {
    if (this.state === RUN) throw new ValueError('Pool is still running');
    await this.engine.join();
  }

  /** Stops the workers now; every unfinished task rejects (Python leaves them hanging). */
  async terminate(): Promise<void> {
    this.state = TERMINATE;
    await this.engine.terminate();
  }

  /** `await using pool = new Pool()` ends with `terminate()`, as Python's `with Pool()` does. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}

function settleFrom<T>(promise: Promise<T>, callbacks: ResultCallbacks<T>): AsyncResult<T> {
  const result = new AsyncResult<T>(callbacks);
  promise.then(
    (value) => result.resolve(value),
    (error: unknown) => result.reject(error),
  );
  return result;
}

/** The DataCloneError of the first item of `chunk` that cannot cross, its path starting at `iterable[i]`. */
function locateUnsendable(error: unknown, chunk: unknown[], start: number): unknown {
  if (!(error instanceof Error) || error.name !== 'DataCloneError') return error;
  for (let i = 0; i < chunk.length; i++) {
    try {
      encodePayload(chunk[i], `iterable[${start + i}]`);
    } catch (itemError) {
      return itemError;
    }
  }
  return error;
}

function checkChunksize(chunksize: number): void {
  if (!Number.isInteger(chunksize) || chunksize < 1)
    throw new ValueError(`Chunksize must be 1+, not ${chunksize}`);
}
