/**
 * asCompleted: futures in the order they finish, as Python's `concurrent.futures.as_completed`.
 */

import { afterDeadline, type DeadlineTimer, deadlineFrom } from './deadline.js';
import { TimeoutError } from './errors.js';
import { type Future, kOnSettle } from './future.js';

/**
 * Yields each of `futures` once as it completes (finishes or is cancelled): first those already
 * done, then the others in completion order. A future given twice is yielded once.
 * @param options.timeout milliseconds, counted from this call, for the whole iteration; absent =
 *   forever.
 * @throws (from the iterator) `TimeoutError` naming how many futures are unfinished when the
 *   deadline passes before all of them completed; `signal.reason` if `options.signal` aborts.
 *   Stopping early (`break`) removes every listener it installed.
 */
export function asCompleted<F extends Future<unknown>>(
  futures: Iterable<F>,
  options: { timeout?: number | undefined; signal?: AbortSignal | undefined } = {},
): AsyncIterableIterator<Completed<F>> {
  const { timeout, signal } = options;
  const deadline = deadlineFrom(timeout, 'asCompleted');
  const unique = new Set(futures);
  return new CompletionIterator(unique, deadline, signal) as AsyncIterableIterator<Completed<F>>;
}

/**
 * How the loop variable of `for await (const f of asCompleted(fs))` is typed: the future itself
 * (the same object, `===` to the one given, usable as a Map key), with `then` hidden from the type.
 * TypeScript types a `for await` variable as the awaited element (`Awaited<F>`), which for a
 * PromiseLike future would be its value, although at run time an async iterator's values are not
 * awaited. Hiding `then` keeps the type right; read the outcome with `f.result()` in the loop.
 */
export type Completed<F extends Future<unknown>> = F & { then: never };

const noop = () => {};

/**
 * Written as a plain iterator rather than an `async function*`: an async generator awaits every
 * value it yields, and a Future is PromiseLike — the loop would receive values, not futures.
 */
class CompletionIterator<F extends Future<unknown>> implements AsyncIterableIterator<F> {
  /*
   * A future handed out is referenced from nowhere in here any more (CPython's
   * test_free_reference_yielded_future, bpo-14406): not from a set of all of them, not from its
   * listener's unsubscribe function, so the loop that drops it lets it be collected.
   */
  readonly #total: number;
  readonly #deadline: number | undefined;
  readonly #signal: AbortSignal | undefined;
  /** Done futures not yet handed out: those done at the call first, then in completion order. */
  readonly #ready: F[] = [];
  /** Futures not yet done, each with the function that stops listening to it. */
  readonly #pending = new Map<F, () => void>();
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(unique: Set<F>, deadline: number | undefined, signal: AbortSignal | undefined) {
    this.#total = unique.size;
    this.#deadline = deadline;
    this.#signal = signal;
    for (const future of unique) {
      if (future.done()) this.#ready.push(future);
      else this.#pending.set(future, noop);
    }
    for (const future of this.#pending.keys()) {
      const unsubscribe = future[kOnSettle](() => {
        this.#pending.delete(future);
        this.#ready.push(future);
        this.#wake?.();
      });
      if (this.#pending.has(future)) this.#pending.set(future, unsubscribe);
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<F, undefined>> {
    if (this.#closed) return { done: true, value: undefined };
    try {
      while (this.#ready.length === 0 && this.#pending.size > 0) await this.#nextCompletion();
    } catch (error) {
      this.#close();
      throw error;
    }
    const future = this.#ready.shift();
    if (future === undefined) {
      this.#close();
      return { done: true, value: undefined };
    }
    return { done: false, value: future };
  }

  /** Called by `break`: stop listening to the futures still pending. */
  async return(): Promise<IteratorResult<F, undefined>> {
    this.#close();
    return { done: true, value: undefined };
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const unsubscribe of this.#pending.values()) unsubscribe();
    this.#pending.clear();
    this.#ready.length = 0;
  }

  #timeoutError(): TimeoutError {
    return new TimeoutError(`${this.#pending.size} (of ${this.#total}) futures unfinished`);
  }

  #nextCompletion(): Promise<void> {
    const signal = this.#signal;
    const deadline = this.#deadline;
    signal?.throwIfAborted();
    if (deadline !== undefined && performance.now() >= deadline) throw this.#timeoutError();
    return new Promise<void>((resolve, reject) => {
      let timer: DeadlineTimer | undefined;
      const onAbort = () => {
        cleanUp();
        reject(signal?.reason);
      };
      const cleanUp = () => {
        this.#wake = undefined;
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
      };
      this.#wake = () => {
        cleanUp();
        resolve();
      };
      if (deadline !== undefined) {
        timer = afterDeadline(deadline, () => {
          cleanUp();
          reject(this.#timeoutError());
        });
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
