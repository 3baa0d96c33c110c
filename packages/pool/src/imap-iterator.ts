/**
 * The iterator `imap` and `imapUnordered` return: an async iterator whose `next(timeoutMs)` throws
 * `TimeoutError` when no result arrives in time (Python's `it.next(timeout=1)`).
 *
 * The input is read lazily, a window of chunks ahead of the consumer, so an endless input works. An
 * input that throws part-way yields the results before the failure, then throws its error.
 */
import { TimeoutError } from './errors.js';

type Outcome<T> = { ok: true; values: T[] } | { ok: false; error: unknown };

export class IMapIterator<T> implements AsyncIterableIterator<T> {
  private readonly chunks: Promise<T[]>[] = [];
  private readonly completed: Outcome<T>[] = [];
  private completedWaiter: (() => void) | undefined;
  private consumedChunks = 0;
  private buffer: T[] = [];
  private bufferAt = 0;
  private inputDone = false;
  private inputError: { error: unknown } | undefined;
  private inputErrorThrown = false;
  private outstanding = 0;

  /** @internal */
  constructor(
    private readonly input: Iterator<unknown>,
    private readonly chunksize: number,
    private readonly window: number,
    private readonly submitChunk: (items: unknown[]) => Promise<T[]>,
    private readonly ordered: boolean,
  ) {
    this.feed();
  }

  private feed(): void {
    while (!this.inputDone && this.chunks.length - this.consumedChunks < this.window) {
      const items: unknown[] = [];
      try {
        while (items.length < this.chunksize) {
          const step = this.input.next();
          if (step.done) {
            this.inputDone = true;
            break;
          }
          items.push(step.value);
        }
      } catch (error) {
        this.inputDone = true;
        this.inputError = { error };
      }
      if (items.length === 0) break;
      let promise: Promise<T[]>;
      try {
        promise = this.submitChunk(items);
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.catch(() => {});
      this.chunks.push(promise);
      this.outstanding++;
      promise.then(
        (values) => this.complete({ ok: true, values }),
        (error: unknown) => this.complete({ ok: false, error }),
      );
    }
  }

  private complete(outcome: Outcome<T>): void {
    this.outstanding--;
    if (this.ordered) return;
    this.completed.push(outcome);
    this.completedWaiter?.();
  }

  /**
   * The next result.
   * @param timeoutMs throw `TimeoutError` if none arrives within this many milliseconds.
   * @throws the task's error for a failed item; the input's error after the results before it.
   */
  async next(timeoutMs?: number): Promise<IteratorResult<T, undefined>> {
    if (this.bufferAt < this.buffer.length) return { done: false, value: this.buffer[this.bufferAt++]! };
    const outcome = this.ordered ? await this.nextOrdered(timeoutMs) : await this.nextUnordered(timeoutMs);
    if (outcome === undefined) {
      if (this.inputError && !this.inputErrorThrown) {
        this.inputErrorThrown = true;
        throw this.inputError.error;
      }
      return { done: true, value: undefined };
    }
    this.feed();
    if (!outcome.ok) throw outcome.error;
    this.buffer = outcome.values;
    this.bufferAt = 0;
    return this.next(timeoutMs);
  }

  private async nextOrdered(timeoutMs: number | undefined): Promise<Outcome<T> | undefined> {
    const chunk = this.chunks[this.consumedChunks];
    if (!chunk) return undefined;
    const settled = chunk.then(
      (values): Outcome<T> => ({ ok: true, values }),
      (error: unknown): Outcome<T> => ({ ok: false, error }),
    );
    const outcome = await withTimeout(settled, timeoutMs);
    this.chunks[this.consumedChunks] = undefined as unknown as Promise<T[]>;
    this.consumedChunks++;
    return outcome;
  }

  private async nextUnordered(timeoutMs: number | undefined): Promise<Outcome<T> | undefined> {
    if (this.completed.length === 0) {
      if (this.outstanding === 0) return undefined;
      const arrived = new Promise<void>((resolve) => {
        this.completedWaiter = resolve;
      });
      await withTimeout(arrived, timeoutMs);
      this.completedWaiter = undefined;
    }
    this.consumedChunks++;
    return this.completed.shift();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

async function withTimeout<V>(promise: Promise<V>, timeoutMs: number | undefined): Promise<V> {
  if (timeoutMs === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`no result within ${timeoutMs} ms`)),
      Math.max(0, timeoutMs),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
