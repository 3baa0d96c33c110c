/** What a served object knows about the call it is answering. */
export interface CallContext {
  /** Identifies the connection the call came on (one per client thread): the "owner" of an RLock. */
  readonly caller: number;
  /** Aborted when the client cancels the call or disconnects. */
  readonly signal: AbortSignal;
}

/** Marks classes whose methods take a CallContext as their first argument (the built-in types). */
export const TAKES_CONTEXT = Symbol('weft.manager.takesContext');

export interface WaitOptions {
  /** Milliseconds; absent = forever. */
  timeout?: number | undefined;
}

export interface BlockingOptions extends WaitOptions {
  /** false: do not wait at all (Python's `block=False` / `blocking=False`). Default true. */
  block?: boolean | undefined;
  blocking?: boolean | undefined;
}

/** Whether an options object asks not to wait. */
export function isNonBlocking(options: BlockingOptions | undefined): boolean {
  return options?.block === false || options?.blocking === false;
}

/** A list of callers parked until woken, with timeouts and cancellation. */
export class WaitList {
  private readonly waiters: Array<{ wake(): void }> = [];

  get length(): number {
    return this.waiters.length;
  }

  /** Resolves true when woken, false once `timeout` ms passed; rejects when `ctx.signal` aborts. */
  wait(ctx: CallContext, timeout: number | undefined): Promise<boolean> {
    if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
    if (timeout !== undefined && timeout <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const remove = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        if (timer) clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
      };
      const waiter = {
        wake: () => {
          remove();
          resolve(true);
        },
      };
      const onAbort = () => {
        remove();
        reject(ctx.signal.reason);
      };
      if (timeout !== undefined) {
        timer = setTimeout(() => {
          remove();
          resolve(false);
        }, timeout);
      }
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Wakes the longest waiter; false if nobody waits. */
  wakeOne(): boolean {
    const waiter = this.waiters[0];
    if (!waiter) return false;
    waiter.wake();
    return true;
  }

  wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }
}

/** Milliseconds left of `timeout` since `started` (undefined stays undefined = forever). */
export function remaining(timeout: number | undefined, started: number): number | undefined {
  return timeout === undefined ? undefined : Math.max(0, timeout - (performance.now() - started));
}
