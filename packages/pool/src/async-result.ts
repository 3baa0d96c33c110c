/**
 * AsyncResult: what `applyAsync`, `mapAsync`, `starmapAsync` return (Python's `AsyncResult`).
 *
 * It is a native Promise (awaitable, `Promise.all`-able at full speed) with Python's methods on top;
 * the engine settles it directly, as the task's sink. A failed result nobody awaits is not an
 * unhandled rejection: as in Python, the error waits in the result until someone asks.
 */
import { callSafely } from './callbacks.js';
import { TimeoutError, ValueError } from './errors.js';

export interface ResultCallbacks<T> {
  /** Called on the main thread with the value when the task succeeds. */
  callback?: ((value: T) => void) | undefined;
  /** Called on the main thread with the error when the task fails. */
  errorCallback?: ((error: unknown) => void) | undefined;
}

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

const ignore = () => {};

/** The resolving functions of the promise being constructed (see the AsyncResult constructor). */
let capturedResolve: ((value: never) => void) | undefined;
let capturedReject: ((error: unknown) => void) | undefined;
function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

export class AsyncResult<T> extends Promise<T> {
  // Derived promises (`then`, `catch`) are plain Promises.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #status = PENDING;
  #resolve: ((value: T) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  readonly #callbacks: ResultCallbacks<T> | undefined;

  /** @internal made by the pool */
  constructor(callbacks?: ResultCallbacks<T>) {
    // A module-level executor rather than a closure: one closure and context less per task (all of
    // them live until the task settles, and the collector copies them meanwhile).
    super(capture as (resolve: (value: T) => void, reject: (error: unknown) => void) => void);
    this.#resolve = capturedResolve as ((value: T) => void) | undefined;
    this.#reject = capturedReject;
    capturedResolve = undefined;
    capturedReject = undefined;
    this.#callbacks = callbacks?.callback || callbacks?.errorCallback ? callbacks : undefined;
  }

  /** @internal the engine's sink */
  resolve(value: unknown): void {
    if (this.#status !== PENDING) return;
    this.#status = FULFILLED;
    this.#resolve!(value as T);
    this.#resolve = undefined;
    this.#reject = undefined;
    if (this.#callbacks?.callback) callSafely(() => this.#callbacks!.callback!(value as T));
  }

  /** @internal the engine's sink */
  reject(error: unknown): void {
    if (this.#status !== PENDING) return;
    this.#status = REJECTED;
    Promise.prototype.then.call(this, undefined, ignore);
    this.#reject!(error);
    this.#resolve = undefined;
    this.#reject = undefined;
    if (this.#callbacks?.errorCallback) callSafely(() => this.#callbacks!.errorCallback!(error));
  }

  /**
   * The task's value.
   * @param timeoutMs give up after this many milliseconds (absent: wait for ever).
   * @throws the task's error; `TimeoutError` when `timeoutMs` passes first (the task goes on).
   */
  async get(timeoutMs?: number): Promise<T> {
    if (this.#status === PENDING && timeoutMs !== undefined && !(await this.wait(timeoutMs))) {
      throw new TimeoutError(`the result was not ready within ${timeoutMs} ms`);
    }
    return await (this as Promise<T>);
  }

  /**
   * Waits until the result is ready.
   * @returns true when ready, false when `timeoutMs` passed first.
   */
  wait(timeoutMs?: number): Promise<boolean> {
    if (this.#status !== PENDING) return Promise.resolve(true);
    const ready = Promise.prototype.then.call(
      this,
      () => true,
      () => true,
    ) as Promise<boolean>;
    if (timeoutMs === undefined) return ready;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      ready,
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(this.#status !== PENDING), Math.max(0, timeoutMs));
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Whether the task has finished. */
  ready(): boolean {
    return this.#status !== PENDING;
  }

  /**
   * Whether the task finished without error.
   * @throws ValueError if it has not finished yet (as Python does).
   */
  successful(): boolean {
    if (this.#status === PENDING) throw new ValueError('the result is not ready');
    return this.#status === FULFILLED;
  }
}

// `Promise.resolve(result)` and `Promise.all([...results])` take a promise whose constructor is
// Promise as it is, without wrapping it in another promise and a job per element.
Object.defineProperty(AsyncResult.prototype, 'constructor', {
  value: Promise,
  writable: true,
  configurable: true,
});
