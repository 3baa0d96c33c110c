/**
 * The synchronisation objects a Manager serves: Lock, RLock, Semaphore, BoundedSemaphore, Event,
 * Condition, Barrier. They live in the server thread and are only ever touched from its event loop,
 * so they need no shared memory: a waiting client is a pending promise there, never a blocked thread.
 * Ownership (RLock, Condition) belongs to the calling connection, as in Python, where each
 * connection has a server thread of its own.
 */
import {
  type BlockingOptions,
  type CallContext,
  isNonBlocking,
  remaining,
  TAKES_CONTEXT,
  WaitList,
  type WaitOptions,
} from './call-context.js';
import { BrokenBarrierError } from './errors.js';

/** Python's RuntimeError: misuse of a lock (raised in the server; reaches the client as a RemoteError). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** Python's ValueError, e.g. a BoundedSemaphore released too many times (raised in the server). */
export class ValueError extends Error {
  override name = 'ValueError';
}

export class ServedLock {
  static readonly [TAKES_CONTEXT] = true;
  private held = false;
  private readonly waiters = new WaitList();

  async acquire(ctx: CallContext, options?: BlockingOptions): Promise<boolean> {
    if (!this.held) {
      this.held = true;
      return true;
    }
    if (isNonBlocking(options)) return false;
    // release() hands the lock straight to the woken waiter, so a late caller cannot barge in.
    return this.waiters.wait(ctx, options?.timeout);
  }

  release(_ctx: CallContext): void {
    if (!this.held) throw new RuntimeError('release unlocked lock');
    if (!this.waiters.wakeOne()) this.held = false;
  }

  locked(_ctx: CallContext): boolean {
    return this.held;
  }
}

export class ServedRLock {
  static readonly [TAKES_CONTEXT] = true;
  private owner = 0;
  private count = 0;
  private readonly waiters = new WaitList();

  async acquire(ctx: CallContext, options?: BlockingOptions): Promise<boolean> {
    if (this.count > 0 && this.owner === ctx.caller) {
      this.count++;
      return true;
    }
    if (this.count === 0) {
      this.owner = ctx.caller;
      this.count = 1;
      return true;
    }
    if (isNonBlocking(options)) return false;
    const started = performance.now();
    for (;;) {
      const woken = await this.waiters.wait(ctx, remaining(options?.timeout, started));
      if (!woken) return false;
      if (this.count === 0) {
        this.owner = ctx.caller;
        this.count = 1;
        return true;
      }
    }
  }

  release(ctx: CallContext): void {
    if (this.count === 0 || this.owner !== ctx.caller)
      throw new RuntimeError('cannot release un-acquired lock');
    if (--this.count === 0) {
      this.owner = 0;
      this.waiters.wakeOne();
    }
  }

  locked(_ctx: CallContext): boolean {
    return this.count > 0;
  }

  /** @internal For Condition: drop every level held by `ctx`, return how many. */
  releaseAll(ctx: CallContext): number {
    if (this.count === 0 || this.owner !== ctx.caller)
      throw new RuntimeError('cannot wait on un-acquired lock');
    const levels = this.count;
    this.count = 1;
    this.release(ctx);
    return levels;
  }

  /** @internal For Condition: take the lock back with `levels` levels (waits as long as needed). */
  async reacquire(ctx: CallContext, levels: number): Promise<void> {
    await this.acquire(ctx);
    this.count = levels;
  }

  /** @internal */
  ownedBy(ctx: CallContext): boolean {
    return this.count > 0 && this.owner === ctx.caller;
  }
}

export class ServedSemaphore {
  static readonly [TAKES_CONTEXT] = true;
  protected value: number;
  private readonly waiters = new WaitList();

  constructor(value = 1) {
    if (!Number.isInteger(value) || value < 0) throw new ValueError('semaphore initial value must be >= 0');
    this.value = value;
  }

  async acquire(ctx: CallContext, options?: BlockingOptions): Promise<boolean> {
    if (this.value > 0) {
      this.value--;
      return true;
    }
    if (isNonBlocking(options)) return false;
    // release() hands its unit straight to the woken waiter.
    return this.waiters.wait(ctx, options?.timeout);
  }

  release(_ctx: CallContext, n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new ValueError('n must be one or more');
    for (let i = 0; i < n; i++) {
      this.check();
      if (!this.waiters.wakeOne()) this.value++;
    }
  }

  /** The current counter (Python's private `_value`, handy in tests and examples). */
  getValue(_ctx: CallContext): number {
    return this.value;
  }

  protected check(): void {}
}

export class ServedBoundedSemaphore extends ServedSemaphore {
  private readonly initial: number;

  constructor(value = 1) {
    super(value);
    this.initial = value;
  }

  protected override check(): void {
    if (this.value >= this.initial) throw new ValueError('Semaphore released too many times');
  }
}

export class ServedEvent {
  static readonly [TAKES_CONTEXT] = true;
  private flag = false;
  private readonly waiters = new WaitList();

  set(_ctx: CallContext): void {
    this.flag = true;
    this.waiters.wakeAll();
  }

  clear(_ctx: CallContext): void {
    this.flag = false;
  }

  isSet(_ctx: CallContext): boolean {
    return this.flag;
  }

  async wait(ctx: CallContext, options?: WaitOptions): Promise<boolean> {
    if (this.flag) return true;
    await this.waiters.wait(ctx, options?.timeout);
    return this.flag;
  }
}

export class ServedCondition {
  static readonly [TAKES_CONTEXT] = true;
  private readonly lock = new ServedRLock();
  private readonly waiters = new WaitList();

  acquire(ctx: CallContext, options?: BlockingOptions): Promise<boolean> {
    return this.lock.acquire(ctx, options);
  }

  release(ctx: CallContext): void {
    this.lock.release(ctx);
  }

  /** Releases the lock, waits for notify (or the timeout), takes the lock back. Returns false on timeout. */
  async wait(ctx: CallContext, options?: WaitOptions): Promise<boolean> {
    const levels = this.lock.releaseAll(ctx);
    let woken = false;
    try {
      woken = await this.waiters.wait(ctx, options?.timeout);
    } finally {
      // Even a cancelled wait returns holding the lock, as a Python wait does; a vanished client's
      // connection is gone, and its lock levels go with the next release.
      await this.lock.reacquire({ caller: ctx.caller, signal: new AbortController().signal }, levels);
    }
    return woken;
  }

  notify(ctx: CallContext, n = 1): void {
    if (!this.lock.ownedBy(ctx)) throw new RuntimeError('cannot notify on un-acquired lock');
    for (let i = 0; i < n; i++) if (!this.waiters.wakeOne()) break;
  }

  notifyAll(ctx: CallContext): void {
    if (!this.lock.ownedBy(ctx)) throw new RuntimeError('cannot notify on un-acquired lock');
    this.waiters.wakeAll();
  }
}

export class ServedBarrier {
  static readonly [TAKES_CONTEXT] = true;
  private count = 0;
  private isBroken = false;
  private generation: Array<{ resolve(): void; reject(error: Error): void }> = [];
  private readonly defaultTimeout: number | undefined;

  constructor(
    private readonly parties: number,
    options?: { timeout?: number },
  ) {
    if (!Number.isInteger(parties) || parties < 1) throw new ValueError('parties must be at least 1');
    this.defaultTimeout = options?.timeout;
  }

  /** Waits until `parties` callers are waiting; returns this caller's arrival index (0 .. parties-1). */
  async wait(ctx: CallContext, options?: WaitOptions): Promise<number> {
    if (this.isBroken) throw new BrokenBarrierError('the barrier is broken');
    const index = this.count++;
    if (this.count === this.parties) {
      const released = this.generation;
      this.generation = [];
      this.count = 0;
      for (const waiter of released) waiter.resolve();
      return index;
    }
    const timeout = options?.timeout ?? this.defaultTimeout;
    await new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        this.abort(ctx);
      };
      const settle = () => {
        if (timer) clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
      };
      this.generation.push({
        resolve: () => {
          settle();
          resolve();
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      if (timeout !== undefined) timer = setTimeout(() => this.abort(ctx), timeout);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    return index;
  }

  /** Breaks the barrier: current and future waiters fail with BrokenBarrierError until reset(). */
  abort(_ctx: CallContext): void {
    this.isBroken = true;
    this.failWaiters();
  }

  /** Back to the empty state; current waiters fail with BrokenBarrierError. */
  reset(_ctx: CallContext): void {
    this.failWaiters();
    this.isBroken = false;
  }

  getParties(_ctx: CallContext): number {
    return this.parties;
  }

  nWaiting(_ctx: CallContext): number {
    return this.generation.length;
  }

  broken(_ctx: CallContext): boolean {
    return this.isBroken;
  }

  private failWaiters(): void {
    const waiting = this.generation;
    this.generation = [];
    this.count = 0;
    for (const waiter of waiting) waiter.reject(new BrokenBarrierError('the barrier is broken'));
  }
}
