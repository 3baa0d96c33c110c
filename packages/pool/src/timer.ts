/**
 * Timer: Python's `threading.Timer` — call a function after an interval, unless cancelled first.
 * It runs on the thread that started it (JavaScript has one event loop per thread; the wait costs
 * nothing while it is pending).
 */
export class Timer<A extends unknown[] = unknown[]> {
  #handle: NodeJS.Timeout | undefined;
  #finished = false;
  #started = false;
  #done: Promise<void>;
  #settle!: () => void;

  /**
   * @param intervalMs milliseconds to wait before calling `fn(...args)`.
   */
  constructor(
    readonly intervalMs: number,
    readonly fn: (...args: A) => unknown,
    readonly args: A = [] as unknown as A,
  ) {
    if (typeof fn !== 'function') throw new TypeError('Timer needs a function to call');
    if (!(intervalMs >= 0)) throw new RangeError(`intervalMs must be >= 0, got ${intervalMs}`);
    this.#done = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /**
   * Starts the countdown.
   * @throws Error if started twice (Python: "threads can only be started once").
   */
  start(): void {
    if (this.#started) throw new Error('threads can only be started once');
    this.#started = true;
    if (this.#finished) {
      this.#settle();
      return;
    }
    this.#handle = setTimeout(() => {
      this.#finished = true;
      this.#handle = undefined;
      try {
        this.fn(...this.args);
      } finally {
        this.#settle();
      }
    }, this.intervalMs);
  }

  /** Stops the timer if it has not fired yet; does nothing afterwards. */
  cancel(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#handle) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#settle();
  }

  /** Whether it is counting down. */
  isAlive(): boolean {
    return this.#started && !this.#finished;
  }

  /**
   * Waits until the timer fired or was cancelled.
   * @returns true if done, false when `timeoutMs` passed first.
   */
  async join(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await this.#done;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.#done.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }
}
