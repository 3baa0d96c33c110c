/**
 * Future: the eventual outcome of one task, as in CPython's `concurrent/futures/_base.py`.
 *
 * A small state machine written out as named states:
 *
 *   PENDING ──setRunningOrNotifyCancel()──▶ RUNNING ──setResult()/setException()──▶ FINISHED
 *      │                                                                  ▲
 *      ├──cancel()──▶ CANCELLED                                           │
 *      └──setResult()/setException() (a task that never needed a worker) ─┘
 *
 * Everything that waits (result(), exception(), `await future`, asCompleted, wait) is woken by one
 * list of settle listeners, run when the future leaves PENDING/RUNNING for good. Done callbacks are
 * user code: they run once each, in registration order, and an error they throw is reported through
 * `Future.onCallbackError` — never swallowed, never thrown into the code that completed the future.
 */
import { afterDeadline, type DeadlineTimer, deadlineFrom } from './deadline.js';
import { CancelledError, DeadlockError, InvalidStateError, TimeoutError } from './errors.js';

export type FutureState = 'PENDING' | 'RUNNING' | 'CANCELLED' | 'FINISHED';

/** Internal: executors and the worker-side view drive futures through these keys (not exported publicly). */
export const kAttachTask = Symbol('weft.future.attachTask');
export const kOnSettle = Symbol('weft.future.onSettle');
export const kOnStateChange = Symbol('weft.future.onStateChange');
export const kBlockUntilDone = Symbol('weft.future.blockUntilDone');
export const kStartWatching = Symbol('weft.future.startWatching');
export const kFailed = Symbol('weft.future.failed');
/** Internal (shared-future.ts): its executor's wait table, its pool task id, its cell once shared. */
export const kWaitTable = Symbol('weft.future.waitTable');
export const kTaskId = Symbol('weft.future.taskId');
export const kCell = Symbol('weft.future.cell');

type Listener = () => void;

let nextFutureId = 1;

/**
 * The pool task behind an executor's future: `cancel()` withdraws it while queued (true only then);
 * `state` tells whether a worker has taken it. The future asks it when someone looks at its state,
 * rather than being told of every start: no start reports cross from the workers.
 */
export interface AttachedTask {
  cancel(): boolean;
  readonly state: 'queued' | 'running' | 'done';
}

/**
 * The resolve function of the promise being constructed (see the Future constructor). Its reject
 * function is not kept: a future that fails settles its promise side through a rejecting thenable
 * (see #settle), and every pending future is 70 bytes smaller for it. Thousands of futures pending at
 * once are copied by every young-generation collection, so their size is throughput.
 */
let capturedResolve: ((value: never) => void) | undefined;
/** An executor given to the constructor (Promise's statics, `Future.resolve(x)`, construct with one). */
let forwardTo: ((resolve: (value: never) => void, reject: (error: unknown) => void) => void) | undefined;
function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  const executor = forwardTo;
  forwardTo = undefined;
  executor?.(resolve, reject);
}

const ignore = () => {};

/**
 * The future whose cancel() is withdrawing its task right now (its outcome, reported meanwhile, is
 * ignored): a module variable rather than a field, since every pending future's size counts.
 */
let withdrawing: Future<unknown> | undefined;

/**
 * Internal (executor.ts): while `depth` > 0, done callbacks wait for a microtask. The pool settles
 * finished tasks inside a submit call too (it drains its results every few hundred submits), and a
 * user's callback must not run inside an unrelated `submit`.
 */
export const callbackDeferral = { depth: 0 };

/** A thenable that rejects with `error`: resolving a promise with it rejects the promise (a job later). */
function rejecting(error: unknown): PromiseLike<never> {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose
    then: (_onFulfilled, onRejected) => {
      onRejected?.(error);
      return undefined as never;
    },
  };
}

/**
 * A Future is a native Promise (its `then`, `catch`, `finally` are Promise's) with Python's methods on
 * top, settled by the future's own transitions: `await future` and `Promise.all(futures)` take it as
 * it is, as fast as any promise (a PromiseLike object would cost a wrapper promise and a job each).
 * `then` and the rest make plain Promises. A failed or cancelled future nobody awaits is not an
 * unhandled rejection: as in Python, the error waits in the future until someone asks.
 */
export class Future<T = unknown> extends Promise<T> implements PromiseLike<T> {
  // Derived promises (`then`, `catch`, `finally`) are plain Promises.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /**
   * Reports an error thrown (or a rejection returned) by a done callback. The default emits a
   * process warning of type `FutureCallbackError` (printed to stderr unless a `'warning'` listener
   * handles it), as Python logs "exception calling callback". Replace it to route the error elsewhere.
   */
  static onCallbackError: (error: unknown, future: Future<unknown>) => void = reportCallbackError;

  /** A number unique in this thread, for messages and debugging. */
  readonly id: number = nextFutureId++;

  #state: FutureState = 'PENDING';
  /** The task's value, or its error when #failed (one field: every pending future is copied by GC). */
  #settledWith: unknown;
  #failed = false;
  // Stored without T so that Future<T> stays assignable to Future<unknown> (callbacks only ever get `this`).
  #callbacks: Array<(future: never) => unknown> | undefined;
  // One listener is the common case (an await, an asCompleted): kept without a container.
  #listeners: Listener | Listener[] | undefined;
  #stateListeners: Set<Listener> | undefined;
  #resolvePromise: ((value: never) => void) | undefined; // without T, as #callbacks
  #task: AttachedTask | undefined;
  /*
   * Internal (shared-future.ts): set at submit, read only when the future crosses to a worker. Fields
   * of the future rather than WeakMaps keyed by it: a WeakMap entry per task costs more than the
   * task itself (and the collector must trace it).
   */
  [kWaitTable]: SharedArrayBuffer | undefined = undefined;
  [kTaskId] = 0;
  [kCell]: SharedArrayBuffer | undefined = undefined;

  /**
   * A pending future; an executor's `submit` makes them (tests and custom executors may too).
   * @param executor only for Promise's statics (`Future.resolve(x)`, `Future.all(...)`), which build
   *   their result with one: it settles the promise side as Promise's own would.
   */
  constructor(executor?: (resolve: (value: T) => void, reject: (error: unknown) => void) => void) {
    forwardTo = executor as typeof forwardTo;
    // A module-level executor rather than a closure: no closure and context per future.
    super(capture as (resolve: (value: T) => void, reject: (error: unknown) => void) => void);
    this.#resolvePromise = capturedResolve;
    capturedResolve = undefined;
  }

  /** The current state: 'PENDING', 'RUNNING', 'CANCELLED' or 'FINISHED'. */
  get state(): FutureState {
    this.#refresh();
    return this.#state;
  }

  /** A pending future whose task a worker has taken is RUNNING. */
  #refresh(): void {
    if (this.#state === 'PENDING' && this.#task !== undefined && this.#task.state !== 'queued') {
      this.#setState('RUNNING');
    }
  }

  /**
   * Cancels the task if it has not started.
   * @returns true if the future is now cancelled (it was pending, or already cancelled); false if
   *   its task is running or finished (it then runs to the end).
   */
  cancel(): boolean {
    this.#refresh();
    if (this.#state === 'CANCELLED') return true;
    if (this.#state !== 'PENDING') return false;
    if (this.#task) {
      // Withdrawing the task reports it to the executor as failed (CancelledTask), synchronously, while
      // the future is still PENDING: that outcome is not the future's (see #finish). CPython goes
      // PENDING -> CANCELLED directly, and so does this future.
      const outer = withdrawing;
      withdrawing = this;
      let withdrawn: boolean;
      try {
        withdrawn = this.#task.cancel();
      } finally {
        withdrawing = outer;
      }
      if (!withdrawn) {
        // A worker took the task between our last look and now: it is running, whatever we were told.
        this.#setState('RUNNING');
        return false;
      }
    }
    this.#setState('CANCELLED');
    this.#settle();
    return true;
  }

  /** True if the future was cancelled. */
  cancelled(): boolean {
    return this.#state === 'CANCELLED';
  }

  /** True while its task is running (neither pending nor done). */
  running(): boolean {
    this.#refresh();
    return this.#state === 'RUNNING';
  }

  /** True if the future is finished or cancelled. */
  done(): boolean {
    return this.#state === 'CANCELLED' || this.#state === 'FINISHED';
  }

  /**
   * Waits for the task's value.
   * @param timeoutMs milliseconds to wait; absent or undefined = forever.
   * @returns (resolves to) the value the task returned.
   * @throws (rejects with) the task's error (its name, message and stack kept); `CancelledError` if
   *   the future was cancelled; `TimeoutError` if `timeoutMs` passes first (the future is not
   *   cancelled); `signal.reason` if `options.signal` aborts first.
   */
  async result(timeoutMs?: number, options: { signal?: AbortSignal | undefined } = {}): Promise<T> {
    await this.#waitDone(timeoutMs, options.signal, 'result');
    return this.#outcome();
  }

  /**
   * Waits for the task's error.
   * @param timeoutMs milliseconds to wait; absent or undefined = forever.
   * @returns (resolves to) the error the task threw, or undefined if it returned normally.
   * @throws (rejects with) `CancelledError` if cancelled; `TimeoutError` if `timeoutMs` passes first;
   *   `signal.reason` if `options.signal` aborts first.
   */
  async exception(timeoutMs?: number, options: { signal?: AbortSignal | undefined } = {}): Promise<unknown> {
    await this.#waitDone(timeoutMs, options.signal, 'exception');
    if (this.#state === 'CANCELLED') throw new CancelledError();
    return this.#failed ? this.#settledWith : undefined;
  }

  /**
   * Blocking twin of {@link result}: blocks the calling thread until the future is done.
   * Only a future whose completion does not need this thread can be waited on this way: a future
   * received by a worker task (it crossed from the thread that owns it), or one already done.
   * @param timeoutMs milliseconds to wait; absent = forever.
   * @returns the task's value.
   * @throws the task's error; `CancelledError`; `TimeoutError` if `timeoutMs` passes first;
   *   `DeadlockError` when waiting here could never end (this thread itself must complete the
   *   future, or — in a worker — the wait closes a cycle of tasks waiting on each other).
   */
  resultSync(timeoutMs?: number): T {
    if (!this.done()) this[kBlockUntilDone](timeoutMs, 'resultSync');
    return this.#outcome();
  }

  /**
   * Blocking twin of {@link exception}; same rules as {@link resultSync}.
   * @returns the task's error, or undefined if it returned normally.
   * @throws `CancelledError`; `TimeoutError`; `DeadlockError` (see {@link resultSync}).
   */
  exceptionSync(timeoutMs?: number): unknown {
    if (!this.done()) this[kBlockUntilDone](timeoutMs, 'exceptionSync');
    if (this.#state === 'CANCELLED') throw new CancelledError();
    return this.#failed ? this.#settledWith : undefined;
  }

  /**
   * Calls `fn(future)` once when the future is finished or cancelled — at once (synchronously) if
   * it already is. Callbacks run in the order they were added, on the thread that owns the future.
   * An error thrown by `fn` (or a promise it returns that rejects) goes to `Future.onCallbackError`.
   */
  addDoneCallback(fn: (future: Future<T>) => unknown): void {
    if (typeof fn !== 'function') throw new TypeError(`addDoneCallback expects a function, got ${typeof fn}`);
    if (this.done()) {
      this.#invokeCallback(fn);
      return;
    }
    this.#callbacks ??= [];
    this.#callbacks.push(fn);
    this[kStartWatching]();
  }

  /**
   * For executors (and tests): marks the future as running before its task starts.
   * @returns false if the future was cancelled (its task must not run); true if it is now RUNNING.
   * @throws InvalidStateError if it is already running or finished.
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === 'CANCELLED') return false;
    if (this.#state !== 'PENDING') throw new InvalidStateError(`future ${this.id} is already ${this.#state}`);
    this.#setState('RUNNING');
    return true;
  }

  /**
   * For executors (and tests): finishes the future with a value.
   * @throws InvalidStateError if it is already finished or cancelled.
   */
  setResult(value: T): void {
    this.#finish(false, value, undefined);
  }

  /**
   * For executors (and tests): finishes the future with an error.
   * @throws InvalidStateError if it is already finished or cancelled.
   */
  setException(error: unknown): void {
    this.#finish(true, undefined, error);
  }

  override toString(): string {
    if (this.#state !== 'FINISHED') return `Future#${this.id}<${this.#state}>`;
    return this.#failed
      ? `Future#${this.id}<FINISHED raised ${(this.#settledWith as Error)?.name ?? typeof this.#settledWith}>`
      : `Future#${this.id}<FINISHED returned ${typeof this.#settledWith}>`;
  }

  override get [Symbol.toStringTag](): string {
    return 'Future';
  }

  /** Internal: true if the future finished by raising (not cancelled). */
  [kFailed](): boolean {
    return this.#state === 'FINISHED' && this.#failed;
  }

  /** Internal: the executor attaches the pool task (to withdraw it on cancel, to see it start). */
  [kAttachTask](task: AttachedTask | undefined): void {
    this.#task = task;
  }

  /** Internal: `listener` runs once when the future is done; returns a function that unsubscribes. */
  [kOnSettle](listener: Listener): () => void {
    if (this.done()) {
      listener();
      return () => {};
    }
    const current = this.#listeners;
    if (current === undefined) this.#listeners = listener;
    else if (typeof current === 'function') this.#listeners = [current, listener];
    else current.push(listener);
    this[kStartWatching]();
    return () => this.#removeListener(listener);
  }

  #removeListener(listener: Listener): void {
    const current = this.#listeners;
    if (current === listener) this.#listeners = undefined;
    else if (Array.isArray(current)) {
      const at = current.indexOf(listener);
      if (at >= 0) current.splice(at, 1);
    }
  }

  /** Internal: `listener` runs on every state change (the shared cell mirrors the state through it). */
  [kOnStateChange](listener: Listener): void {
    this.#stateListeners ??= new Set();
    this.#stateListeners.add(listener);
  }

  /**
   * Internal: blocks until done. A future owned by this thread can only be completed by this
   * thread's event loop, so blocking for it would never end. The worker-side view (shared-future.ts)
   * replaces this on its instances.
   */
  [kBlockUntilDone](_timeoutMs: number | undefined, method: string): void {
    throw new DeadlockError(
      `${method}() on ${this} would block the thread that must complete it (its event loop completes the future); use await future.result() instead`,
    );
  }

  /** Internal: a worker-side view starts following the owner's state here; a local future needs nothing. */
  [kStartWatching](): void {}

  /** Outcome of a done future: the value, or throws its error / CancelledError. */
  #outcome(): T {
    if (this.#state === 'CANCELLED') throw new CancelledError();
    if (this.#failed) throw this.#settledWith;
    return this.#settledWith as T;
  }

  async #waitDone(
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    method: string,
  ): Promise<void> {
    const deadline = deadlineFrom(timeoutMs, `${method}(timeoutMs)`);
    if (this.done()) return;
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      let timer: DeadlineTimer | undefined;
      let unsubscribe: (() => void) | undefined;
      const finish = () => {
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
        unsubscribe?.();
      };
      const onAbort = () => {
        finish();
        reject(signal?.reason);
      };
      unsubscribe = this[kOnSettle](() => {
        finish();
        resolve();
      });
      if (this.done()) return;
      if (deadline !== undefined) {
        timer = afterDeadline(deadline, () => {
          finish();
          reject(new TimeoutError(`${method}(${timeoutMs}) timed out: ${this}`));
        });
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #finish(failed: boolean, value: T | undefined, error: unknown): void {
    // The outcome of the task that cancel() is withdrawing: the future becomes CANCELLED instead.
    if (withdrawing === this) return;
    if (this.done()) throw new InvalidStateError(`future ${this.id} is already ${this.#state}`);
    this.#failed = failed;
    this.#settledWith = failed ? error : value;
    this.#setState('FINISHED');
    this.#settle();
  }

  #setState(state: FutureState): void {
    this.#state = state;
    if (this.#stateListeners) for (const listener of this.#stateListeners) listener();
  }

  #settle(): void {
    this.#task = undefined;
    if (this.#resolvePromise) {
      if (this.#state === 'CANCELLED' || this.#failed) {
        // Handled from the start: an error nobody asks for is no unhandled rejection.
        Promise.prototype.then.call(this, undefined, ignore);
        const error = this.#state === 'CANCELLED' ? new CancelledError() : this.#settledWith;
        (this.#resolvePromise as (value: PromiseLike<never>) => void)(rejecting(error));
      } else (this.#resolvePromise as (value: T) => void)(this.#settledWith as T);
      this.#resolvePromise = undefined;
    }
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (typeof listeners === 'function') listeners();
    else if (listeners) for (const listener of listeners) listener();
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (!callbacks) return;
    if (callbackDeferral.depth > 0) {
      queueMicrotask(() => {
        for (const fn of callbacks) this.#invokeCallback(fn);
      });
    } else for (const fn of callbacks) this.#invokeCallback(fn);
  }

  #invokeCallback(fn: (future: never) => unknown): void {
    try {
      const returned = (fn as (future: Future<T>) => unknown)(this);
      if (
        returned !== null &&
        typeof returned === 'object' &&
        typeof (returned as Promise<unknown>).then === 'function'
      ) {
        (returned as Promise<unknown>).then(undefined, (error: unknown) =>
          Future.onCallbackError(error, this),
        );
      }
    } catch (error) {
      Future.onCallbackError(error, this);
    }
  }
}

function reportCallbackError(error: unknown, future: Future<unknown>): void {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  process.emitWarning(`exception calling callback for ${future}: ${detail}`, { type: 'FutureCallbackError' });
}

// `await future`, `Promise.resolve(future)` and `Promise.all(futures)` take a promise whose
// constructor is Promise as it is, without a wrapper promise and a job per future. (A subclass that
// must see every `then`, as the worker-side view does, sets its own constructor back.)
Object.defineProperty(Future.prototype, 'constructor', {
  value: Promise,
  writable: true,
  configurable: true,
});
