/**
 * Executor: what ThreadPoolExecutor and ProcessPoolExecutor share (Python's `Executor` base class).
 *
 * A thin facade over @weft/pool's engine: each `submit` is one pool task, and its Future follows the
 * task — PENDING while queued, RUNNING once a worker has taken it (read from the task's handle when
 * someone looks, so no start reports cross from the workers), FINISHED when its result comes back;
 * `cancel()` withdraws a queued task from the pool's queue.
 * The executor itself keeps only the futures not yet done, to cancel them on `shutdown` and to fail
 * them when the pool breaks.
 */
import { withOwnFramesHidden } from './caller-frames.js';
import { afterDeadline, deadlineFrom } from './deadline.js';
import {
  type AnyFunction,
  type PoolEngine,
  submitChunk,
  submitToSink,
  type TaskControl,
  type TaskSink,
} from './engine.js';
import { type BrokenExecutor, InvalidStateError, TimeoutError } from './errors.js';
import { callbackDeferral, Future, kAttachTask } from './future.js';
import { createWaitTable, setTaskContext } from './shared-future.js';
import { ALL_COMPLETED, wait } from './wait.js';

/** Options of {@link Executor.map}; pass them as the last argument. */
export interface MapOptions {
  /** Milliseconds for the whole iteration, counted from the call to `map`; absent = forever. */
  timeout?: number | undefined;
  /** Items per pool task (default 1): larger chunks cost less per item; a chunk fails as a whole. */
  chunksize?: number | undefined;
}

/** One iterable per parameter of the function: `map(f, xs, ys)` calls `f(xs[i], ys[i])`. */
export type IterablesFor<A extends readonly unknown[]> = { [K in keyof A]: Iterable<A[K]> };

/** Options of {@link Executor.shutdown}. */
export interface ShutdownOptions {
  /** Wait until every submitted task is done and the workers have exited (default true). */
  wait?: boolean | undefined;
  /** Cancel every task not yet started (default false); running tasks still finish. */
  cancelFutures?: boolean | undefined;
}

type BrokenClass = new (message: string, options?: { cause?: unknown }) => BrokenExecutor;

export abstract class Executor {
  readonly #engine: PoolEngine;
  readonly #Broken: BrokenClass;
  readonly #brokenMessage: string;
  /**
   * Futures submitted, in submission order, possibly with done ones among them: an append-only list
   * compacted now and then is far cheaper per task than a Set's add and delete. Done futures at its
   * head are dropped as they finish (#settle), so that what a caller has consumed and dropped is not
   * kept alive here (futures mostly finish in order; one that finishes behind a slow one waits for it,
   * or for the next compaction).
   */
  #outstanding: (Future<unknown> | undefined)[] = [];
  /** Entries of #outstanding before this index are dropped. */
  #head = 0;
  /** How many futures in #outstanding are not done. */
  #live = 0;
  /** Shared with every future of this executor that crosses to a worker (deadlock detection). */
  readonly #waitTable = createWaitTable();
  /** Functions this executor's pool has already been given (and has located). */
  readonly #known = new WeakSet<object>();
  #shutdown = false;
  #closed = false;
  #broken: BrokenExecutor | undefined;

  /** A worker's death breaks the pool (ProcessPoolExecutor): its running task fails as broken too. */
  readonly #crashBreaks: boolean;

  protected constructor(engine: PoolEngine, Broken: BrokenClass, brokenMessage: string, crashBreaks = false) {
    this.#engine = engine;
    this.#Broken = Broken;
    this.#brokenMessage = brokenMessage;
    this.#crashBreaks = crashBreaks;
    engine.onBroken((error) => this.#breakWith(error));
  }

  /**
   * Schedules `fn(...args)` on a worker.
   * `fn` must be exported from a module (found in the worker by module URL and export name) or be
   * self-contained (no free variables): see @weft/pool.
   * @returns a Future of what `fn` returns (its promise's value, for an async function).
   * @throws InvalidStateError after `shutdown()`; BrokenThreadPool / BrokenProcessPool if the
   *   executor is broken; FunctionNotShippableError (from the pool) for a function that cannot cross.
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    this.#checkOpen('submit');
    this.checkArguments(args);
    const future = new Future<Awaited<R>>();
    this.#register(future);
    const engine = this.#engine;
    const sink = this.#sink;
    callbackDeferral.depth++;
    try {
      const task = this.#known.has(fn)
        ? submitToSink(engine, sink, future, fn as AnyFunction, args)
        : this.#firstSubmit(fn as AnyFunction, () =>
            submitToSink(engine, sink, future, fn as AnyFunction, args),
          );
      this.#attach(future, task);
    } catch (error) {
      this.#unregister(future);
      throw error;
    } finally {
      callbackDeferral.depth--;
    }
    return future;
  }

  /**
   * Like `Array.prototype.map` over the zipped iterables, run on the workers: every call is
   * submitted at once, and results come back in input order as an async iterator.
   * @param options (last argument) `timeout` in ms counted from this call; `chunksize` items per task.
   * @returns an async iterator of the results, in order. Stopping early (`break`, or an error) cancels
   *   every call that has not started.
   * @throws (at once) InvalidStateError after shutdown, BrokenExecutor if broken, RangeError for a bad
   *   chunksize. (From the iterator) the error of the first failing call, when that item is reached —
   *   the results before it are yielded first; `TimeoutError` when the deadline passes first.
   */
  map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterablesAndOptions: [...IterablesFor<A>] | [...IterablesFor<A>, MapOptions]
  ): AsyncIterableIterator<Awaited<R>> {
    const { iterables, options } = splitMapArguments(iterablesAndOptions as unknown[]);
    const chunksize = options.chunksize ?? 1;
    if (!Number.isInteger(chunksize) || chunksize < 1) {
      throw new RangeError(`map: chunksize must be an integer >= 1, got ${String(options.chunksize)}`);
    }
    const deadline = deadlineFrom(options.timeout, 'map');
    this.#checkOpen('map');
    if (chunksize > 1) {
      const star = iterables.length > 1;
      // One iterable: its items are the single arguments (no tuple per item).
      const items = star ? zip(iterables) : Array.from(iterables[0] as Iterable<unknown>);
      this.checkArguments(items);
      const chunks: Future<Awaited<R>[]>[] = [];
      for (let start = 0; start < items.length; start += chunksize) {
        const future = new Future<Awaited<R>[]>();
        const chunk = items.slice(start, start + chunksize);
        this.#register(future);
        callbackDeferral.depth++;
        try {
          const task = this.#firstSubmit(fn as AnyFunction, () =>
            submitChunk(this.#engine, this.#sink, future, fn as AnyFunction, chunk, star),
          );
          this.#attach(future, task);
        } catch (error) {
          this.#unregister(future);
          for (const submitted of chunks) submitted.cancel();
          throw error;
        } finally {
          callbackDeferral.depth--;
        }
        chunks.push(future);
      }
      return new MapIterator<Awaited<R>>(chunks, true, deadline);
    }
    const futures = zip(iterables).map((args) => this.submit(fn, ...(args as A)));
    return new MapIterator<Awaited<R>>(futures, false, deadline);
  }

  /**
   * Stops accepting tasks and releases the workers once the submitted ones are done.
   * @param options.wait (default true) resolve only when every submitted task is done and the
   *   workers have exited; with false, resolve at once (tasks still run to the end).
   * @param options.cancelFutures (default false) cancel every task not yet started first.
   * Calling it again is harmless.
   */
  async shutdown(options: ShutdownOptions = {}): Promise<void> {
    const { wait: shouldWait = true, cancelFutures = false } = options;
    this.#shutdown = true;
    if (cancelFutures) for (const future of this.#pending()) future.cancel();
    if (!this.#closed) {
      this.#closed = true;
      this.#engine.close();
    }
    if (!shouldWait) return;
    await wait(this.#pending(), { returnWhen: ALL_COMPLETED });
    // Every task is done: the idle workers are stopped outright rather than asked to leave (the
    // pool's join() waits for them to notice; terminate() cannot be kept waiting by an idle worker).
    await this.#engine.terminate();
  }

  /** `await using executor = new ThreadPoolExecutor(...)`: `shutdown({ wait: true })` at scope end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /** A subclass refuses arguments its workers cannot receive. @throws TypeError naming the argument. */
  protected checkArguments(_args: readonly unknown[]): void {}

  /** The error the executor broke with, if it is broken (later submits throw it). */
  get broken(): BrokenExecutor | undefined {
    return this.#broken;
  }

  /**
   * The pool looks for a function's module from the call site the first time it sees the function:
   * then (only) the executor's own frames are hidden from it (see caller-frames.ts).
   */
  #firstSubmit<H>(fn: AnyFunction, submit: () => H): H {
    if (this.#known.has(fn)) return submit();
    const handle = withOwnFramesHidden(submit);
    this.#known.add(fn);
    return handle;
  }

  /** The futures not yet done, in submission order. */
  #pending(): Future<unknown>[] {
    this.#compact();
    return [...(this.#outstanding as Future<unknown>[])];
  }

  #compact(): void {
    this.#outstanding = this.#outstanding.filter(
      (future, i): future is Future<unknown> => i >= this.#head && future !== undefined && !future.done(),
    );
    this.#head = 0;
  }

  /** Drops the done futures at the head of #outstanding. */
  #dropDoneHead(): void {
    const outstanding = this.#outstanding;
    let head = this.#head;
    while (head < outstanding.length && outstanding[head]!.done()) outstanding[head++] = undefined;
    if (head === outstanding.length) {
      outstanding.length = 0;
      head = 0;
    }
    this.#head = head;
  }

  #checkOpen(method: string): void {
    if (this.#broken) {
      throw new this.#Broken(`${method}: ${this.#broken.message}`, { cause: this.#broken.cause });
    }
    if (this.#shutdown) throw new InvalidStateError(`${method}: cannot schedule new futures after shutdown`);
  }

  /** Counts the future as outstanding; its task's outcome comes to #sink with the future as token. */
  #register(future: Future<unknown>): void {
    this.#live++;
    const held = this.#outstanding.length - this.#head;
    if (held >= 1024 && held > 4 * this.#live) this.#compact();
    this.#outstanding.push(future);
  }

  /** The task could not be submitted: the future never runs. */
  #unregister(future: Future<unknown>): void {
    this.#live--;
    future.cancel();
  }

  #attach(future: Future<unknown>, task: TaskControl): void {
    if (future.done()) return;
    future[kAttachTask](task);
    setTaskContext(future, this.#waitTable, task.id);
  }

  /**
   * Where every task of this executor reports, with its future as the token: one object per executor,
   * none per task (thousands of pending tasks are copied by every young-generation collection).
   */
  readonly #sink: TaskSink = {
    resolve: (value, token) => this.#settle(token as Future<unknown>, true, value),
    reject: (error, token) => this.#settle(token as Future<unknown>, false, error),
  };

  #settle(future: Future<unknown>, ok: boolean, outcome: unknown): void {
    this.#live--;
    if (!future.done()) {
      // (A future done already was cancelled, or failed with the broken pool.)
      if (ok) future.setResult(outcome);
      else future.setException(this.#broken ?? this.#translate(outcome));
    }
    if (this.#outstanding[this.#head] === future) this.#dropDoneHead();
  }

  /** The pool reports a broken pool through its own error: the executor's futures get Python's class. */
  #translate(error: unknown): unknown {
    if (error instanceof Error && error.name === 'BrokenPoolError') return this.#brokenError(error);
    // The pool reports the task of a dying worker as crashed, and breaks right after (outcomes reach
    // the futures synchronously): where a death breaks the pool, that task's future is broken too,
    // as in Python.
    if (this.#crashBreaks && error instanceof Error && error.name === 'WorkerCrashedError')
      return this.#brokenError(error);
    return error;
  }

  #brokenError(cause: Error): BrokenExecutor {
    return new this.#Broken(`${this.#brokenMessage} (${cause.message})`, { cause });
  }

  #breakWith(cause: Error): void {
    if (this.#broken) return;
    this.#broken = this.#brokenError(cause);
    const broken = this.#broken;
    for (const future of this.#pending()) future.setException(broken);
  }
}

function isMapOptions(value: unknown): value is MapOptions {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(Symbol.iterator in value) &&
    !(Symbol.asyncIterator in value)
  );
}

function splitMapArguments(values: unknown[]): { iterables: Iterable<unknown>[]; options: MapOptions } {
  const last = values[values.length - 1];
  const options = isMapOptions(last) ? last : {};
  const iterables = (isMapOptions(last) ? values.slice(0, -1) : values) as Iterable<unknown>[];
  if (iterables.length === 0) throw new TypeError('map: give at least one iterable');
  iterables.forEach((iterable, i) => {
    if (iterable === null || typeof iterable !== 'object' || !(Symbol.iterator in iterable)) {
      throw new TypeError(`map: argument ${i + 1} is not iterable`);
    }
  });
  return { iterables, options };
}

/** Python's zip: tuples until the shortest iterable ends. */
function zip(iterables: Iterable<unknown>[]): unknown[][] {
  if (iterables.length === 1) return Array.from(iterables[0] as Iterable<unknown>, (value) => [value]);
  const iterators = iterables.map((iterable) => iterable[Symbol.iterator]());
  const tuples: unknown[][] = [];
  for (;;) {
    const tuple: unknown[] = [];
    for (const iterator of iterators) {
      const step = iterator.next();
      if (step.done) return tuples;
      tuple.push(step.value);
    }
    tuples.push(tuple);
  }
}

/** Results of `map`, in order; for chunked maps each future holds an array of results. */
class MapIterator<R> implements AsyncIterableIterator<R> {
  /**
   * Each future is dropped from here when its turn comes, and each result of a chunk once yielded: the
   * iterator keeps nothing it has handed out alive (CPython's test_free_reference, bpo-14406).
   */
  readonly #futures: (Future<unknown> | undefined)[];
  readonly #chunked: boolean;
  readonly #deadline: number | undefined;
  #next = 0;
  #chunk: R[] = [];
  #inChunk = 0;
  #finished = false;

  constructor(futures: Future<unknown>[], chunked: boolean, deadline: number | undefined) {
    this.#futures = futures;
    this.#chunked = chunked;
    this.#deadline = deadline;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<R, undefined>> {
    if (this.#inChunk < this.#chunk.length)
      return Promise.resolve({ done: false, value: this.#takeFromChunk() });
    return this.#advance();
  }

  #takeFromChunk(): R {
    const value = this.#chunk[this.#inChunk] as R;
    this.#chunk[this.#inChunk++] = undefined as R;
    return value;
  }

  async #advance(): Promise<IteratorResult<R, undefined>> {
    for (;;) {
      if (this.#finished || this.#next >= this.#futures.length) {
        this.#finished = true;
        return { done: true, value: undefined };
      }
      const future = this.#futures[this.#next] as Future<unknown>;
      this.#futures[this.#next++] = undefined;
      let value: unknown;
      try {
        value = await resultBefore(future, this.#deadline);
      } catch (error) {
        future.cancel();
        this.#cancelRest();
        throw error;
      }
      if (!this.#chunked) return { done: false, value: value as R };
      this.#chunk = value as R[];
      this.#inChunk = 0;
      if (this.#chunk.length > 0) return { done: false, value: this.#takeFromChunk() };
    }
  }

  /** `break` out of the loop: cancel every call not yet started. */
  async return(): Promise<IteratorResult<R, undefined>> {
    this.#cancelRest();
    return { done: true, value: undefined };
  }

  #cancelRest(): void {
    this.#finished = true;
    this.#chunk = [];
    for (let i = this.#next; i < this.#futures.length; i++) this.#futures[i]?.cancel();
  }
}

/** The future's value, or TimeoutError once `deadline` (performance.now() time) passes. */
function resultBefore(future: Future<unknown>, deadline: number | undefined): Promise<unknown> {
  if (deadline === undefined || future.done()) return future.result();
  return new Promise((resolve, reject) => {
    const timer = afterDeadline(deadline, () =>
      reject(new TimeoutError(`map: the deadline passed before ${future} was done`)),
    );
    future.result().then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}
