/**
 * AsyncResult: what `applyAsync`, `mapAsync`, `starmapAsync` return (Python's `AsyncResult`).
 * It is also awaitable: `await pool.applyAsync(f, [1])`.
 *
 * The engine settles it directly (it is the task's sink): no Promise exists until someone waits,
 * which keeps 100,000 outstanding tasks cheap.
 */
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

export class AsyncResult<T> implements PromiseLike<T> {
  private status = PENDING;
  private value: unknown;
  private waiters: (() => void)[] | undefined;
  private promise: Promise<T> | undefined;
  private settlePromise: (() => void) | undefined;
  private readonly callbacks: ResultCallbacks<T> | undefined;

  /** @internal */
  constructor(callbacks?: ResultCallbacks<T>) {
    this.callbacks = callbacks?.callback || callbacks?.errorCallback ? callbacks : undefined;
  }

  /** @internal the engine's sink */
  resolve(value: unknown): void {
    if (this.status !== PENDING) return;
    this.status = FULFILLED;
    this.value = value;
    if (this.callbacks?.callback) report(() => this.callbacks!.callback!(value as T));
    this.wake();
  }

  /** @internal the engine's sink */
  reject(error: unknown): void {
    if (this.status !== PENDING) return;
    this.status = REJECTED;
    this.value = error;
    if (this.callbacks?.errorCallback) report(() => this.callbacks!.errorCallback!(error));
    this.wake();
  }

  private wake(): void {
    this.settlePromise?.();
    const waiters = this.waiters;
    if (!waiters) return;
    this.waiters = undefined;
    for (const wake of waiters) wake();
  }

  /**
   * The task's value.
   * @param timeoutMs give up after this many milliseconds (absent: wait for ever).
   * @throws the task's error; `TimeoutError` when `timeoutMs` passes first (the task goes on).
   */
  async get(timeoutMs?: number): Promise<T> {
    if (timeoutMs === undefined) return this.settled();
    if (this.status === PENDING && !(await this.wait(timeoutMs))) {
      throw new TimeoutError(`the result was not ready within ${timeoutMs} ms`);
    }
    if (this.status === FULFILLED) return this.value as T;
    throw this.value;
  }

  /**
   * Waits until the result is ready.
   * @returns true when ready, false when `timeoutMs` passed first.
   */
  wait(timeoutMs?: number): Promise<boolean> {
    if (this.status !== PENDING) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiters ??= [];
      const waiters = this.waiters;
      const done = () => {
        if (timer) clearTimeout(timer);
        resolve(true);
      };
      waiters.push(done);
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => {
            const at = this.waiters?.indexOf(done) ?? -1;
            if (at >= 0) this.waiters!.splice(at, 1);
            resolve(this.status !== PENDING);
          },
          Math.max(0, timeoutMs),
        );
      }
    });
  }

  /** Whether the task has finished. */
  ready(): boolean {
    return this.status !== PENDING;
  }

  /**
   * Whether the task finished without error.
   * @throws ValueError if it has not finished yet (as Python does).
   */
  successful(): boolean {
    if (this.status === PENDING) throw new ValueError('the result is not ready');
    return this.status === FULFILLED;
  }

  /** One Promise per result, made on first need. */
  private settled(): Promise<T> {
    if (this.promise) return this.promise;
    if (this.status === FULFILLED) this.promise = Promise.resolve(this.value as T);
    else if (this.status === REJECTED) this.promise = Promise.reject(this.value);
    else {
      this.promise = new Promise<T>((resolve, reject) => {
        this.settlePromise = () => {
          if (this.status === FULFILLED) resolve(this.value as T);
          else reject(this.value);
        };
      });
    }
    return this.promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: an AsyncResult is deliberately awaitable
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.settled().then(onFulfilled, onRejected);
  }
}

function report(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}
