/**
 * What a child process gets for a weft primitive of its parent (`context: 'process'`): a proxy with
 * the primitive's own API, so that code written for a thread runs unchanged in a child. Methods that
 * are synchronous on the type (`release()`, `set()`, `putNowait()`, `.value`) are synchronous here
 * too: each blocks this thread until the server answers (the sync bridge, see sync-call.ts), so they
 * keep their order with the calls around them and throw where the type throws. Methods that return a
 * promise on the type do here, and their `…Sync` twins block.
 *
 * Calls run on the parent's server thread, on the parent's own object (see served-primitives.ts):
 * a child and the parent's threads share one Lock, one Queue, one Value.
 */
import { BaseProxy, type CallOptions, type ProxyOptions } from './base-proxy.js';
import { TimeoutError } from './errors.js';
import type { RemoteRef } from './remote-ref.js';

export interface RemoteWaitOptions extends CallOptions {
  /** Milliseconds; absent = wait forever. */
  timeout?: number | undefined;
}

export interface RemoteAcquireOptions extends RemoteWaitOptions {
  /** false: do not wait (Python's blocking=False). Default true. */
  blocking?: boolean | undefined;
}

export interface RemoteQueueOptions extends RemoteWaitOptions {
  /** false: do not wait (Python's block=False). Default true. */
  block?: boolean | undefined;
}

/** A held lock that releases itself: `using _held = await lock.lock();`. */
export class RemoteHeld {
  #released = false;

  constructor(private readonly lock: { release(): void }) {}

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.lock.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/** Calls whose options hold an AbortSignal: the signal stays here, the rest is sent. */
function optionsArgs(options: object | undefined): [unknown[], AbortSignal | undefined] {
  if (!options) return [[], undefined];
  const { signal, ...rest } = options as CallOptions;
  return [[rest], signal];
}

/** Options of a blocking call: a signal cannot fire while this thread is blocked. */
function syncArgs(method: string, options: object | undefined): unknown[] {
  if (!options) return [];
  const { signal, ...rest } = options as CallOptions;
  if (signal)
    throw new TypeError(
      `${method}Sync() in a child process cannot take an AbortSignal: nothing can fire it while the thread is blocked; use the async ${method}()`,
    );
  return [rest];
}

/** What the lock-like primitives share: acquire (async and blocking), release, guards. */
abstract class RemoteAcquirable extends BaseProxy {
  /** Resolves true once held; false if `blocking: false` and taken elsewhere, or after `timeout` ms. */
  acquire(options?: RemoteAcquireOptions): Promise<boolean> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('acquire', args, signal, signal ? 0 : undefined) as Promise<boolean>;
  }

  /** Blocking twin of `acquire`. */
  acquireSync(options?: RemoteAcquireOptions): boolean {
    const args = syncArgs('acquire', options);
    return this.blocking(() => this.callMethod('acquire', args) as Promise<boolean>);
  }

  /** Releases (blocking until the server did). @throws RemoteError 'RuntimeError' if not held. */
  release(): void {
    this.blocking(() => this.callMethod('release', []));
  }

  /** Acquires and returns a guard that releases on dispose. @throws TimeoutError after `timeout` ms. */
  async lock(options?: RemoteWaitOptions): Promise<RemoteHeld> {
    if (!(await this.acquire(options)))
      throw new TimeoutError(`could not acquire the lock within ${options?.timeout} ms`);
    return new RemoteHeld(this);
  }

  /** Blocking twin of `lock()`. */
  lockSync(options?: RemoteWaitOptions): RemoteHeld {
    if (!this.acquireSync(options))
      throw new TimeoutError(`could not acquire the lock within ${options?.timeout} ms`);
    return new RemoteHeld(this);
  }

  /** Runs `fn` holding the lock; releases on every path. */
  async withLock<T>(fn: () => T | PromiseLike<T>, options?: RemoteWaitOptions): Promise<T> {
    const held = await this.lock(options);
    try {
      return await fn();
    } finally {
      held.release();
    }
  }

  /** Blocking twin of `withLock`. */
  withLockSync<T>(fn: () => T, options?: RemoteWaitOptions): T {
    const held = this.lockSync(options);
    try {
      return fn();
    } finally {
      held.release();
    }
  }
}

/** A parent's @weft/lock Lock, in a child process. */
export class RemoteLock extends RemoteAcquirable {
  /** Whether some thread or process holds it right now. */
  locked(): boolean {
    return this.blocking(() => this.callMethod('locked', []) as Promise<boolean>);
  }
}

/** A parent's RLock, in a child process: owned by the calling thread, re-entrant within it. */
export class RemoteRLock extends RemoteLock {}

/** A parent's Semaphore, in a child process. */
export class RemoteSemaphore extends RemoteAcquirable {
  /** Releases `n` units. @throws RemoteError 'ValueError' for a BoundedSemaphore released too often. */
  override release(n = 1): void {
    this.blocking(() => this.callMethod('release', [n]));
  }

  /** The current counter. */
  get value(): number {
    return this.blocking(() => this.callMethod('value', []) as Promise<number>);
  }
}

/** A parent's BoundedSemaphore, in a child process. */
export class RemoteBoundedSemaphore extends RemoteSemaphore {
  /** The initial value, which the counter never exceeds. */
  get bound(): number {
    return this.blocking(() => this.callMethod('bound', []) as Promise<number>);
  }
}

/** A parent's Condition, in a child process (its lock owned by the calling thread). */
export class RemoteCondition extends RemoteAcquirable {
  /** Releases the lock, waits for a notify, takes the lock back. Resolves false after `timeout` ms. */
  wait(options?: RemoteWaitOptions): Promise<boolean> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('wait', args, signal, signal ? 0 : undefined) as Promise<boolean>;
  }

  /** Blocking twin of `wait`. */
  waitSync(options?: RemoteWaitOptions): boolean {
    const args = syncArgs('wait', options);
    return this.blocking(() => this.callMethod('wait', args) as Promise<boolean>);
  }

  /** Waits until `predicate()` (run here) is truthy; resolves with its last value. */
  async waitFor<R>(predicate: () => R | Promise<R>, options?: RemoteWaitOptions): Promise<R> {
    const started = performance.now();
    let result = await predicate();
    while (!result) {
      let timeout: number | undefined;
      if (options?.timeout !== undefined) {
        timeout = options.timeout - (performance.now() - started);
        if (timeout <= 0) break;
      }
      await this.wait({ timeout, signal: options?.signal });
      result = await predicate();
    }
    return result;
  }

  /** Blocking twin of `waitFor` with a synchronous `predicate`. */
  waitForSync<R>(predicate: () => R, options?: RemoteWaitOptions): R {
    const started = performance.now();
    let result = predicate();
    while (!result) {
      let timeout: number | undefined;
      if (options?.timeout !== undefined) {
        timeout = options.timeout - (performance.now() - started);
        if (timeout <= 0) break;
      }
      this.waitSync({ timeout });
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters. @throws RemoteError 'RuntimeError' if this thread does not hold the lock. */
  notify(n = 1): void {
    this.blocking(() => this.callMethod('notify', [n]));
  }

  /** Wakes every waiter. @throws RemoteError 'RuntimeError' if this thread does not hold the lock. */
  notifyAll(): void {
    this.blocking(() => this.callMethod('notifyAll', []));
  }
}

/** A parent's Event, in a child process. */
export class RemoteEvent extends BaseProxy {
  isSet(): boolean {
    return this.blocking(() => this.callMethod('isSet', []) as Promise<boolean>);
  }

  set(): void {
    this.blocking(() => this.callMethod('set', []));
  }

  clear(): void {
    this.blocking(() => this.callMethod('clear', []));
  }

  /** Resolves true once set; false after `timeout` ms. */
  wait(options?: RemoteWaitOptions): Promise<boolean> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('wait', args, signal, signal ? 0 : undefined) as Promise<boolean>;
  }

  /** Blocking twin of `wait`. */
  waitSync(options?: RemoteWaitOptions): boolean {
    const args = syncArgs('wait', options);
    return this.blocking(() => this.callMethod('wait', args) as Promise<boolean>);
  }
}

/** A parent's Barrier, in a child process. */
export class RemoteBarrier extends BaseProxy {
  get parties(): number {
    return this.blocking(() => this.callMethod('parties', []) as Promise<number>);
  }

  get nWaiting(): number {
    return this.blocking(() => this.callMethod('nWaiting', []) as Promise<number>);
  }

  get broken(): boolean {
    return this.blocking(() => this.callMethod('broken', []) as Promise<boolean>);
  }

  /** Resolves with this caller's arrival index. @throws BrokenBarrierError if broken or timed out. */
  wait(options?: RemoteWaitOptions): Promise<number> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('wait', args, signal, signal ? 0 : undefined) as Promise<number>;
  }

  /** Blocking twin of `wait`. */
  waitSync(options?: RemoteWaitOptions): number {
    const args = syncArgs('wait', options);
    return this.blocking(() => this.callMethod('wait', args) as Promise<number>);
  }

  reset(): void {
    this.blocking(() => this.callMethod('reset', []));
  }

  abort(): void {
    this.blocking(() => this.callMethod('abort', []));
  }
}

/** A parent's Queue (or JoinableQueue, LifoQueue, PriorityQueue, SimpleQueue), in a child process. */
export class RemoteQueue<T = unknown> extends BaseProxy {
  /** @throws Full when not blocking, or after `timeout` ms. */
  put(item: T, options?: RemoteQueueOptions): Promise<void> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('put', [item, ...args], signal, signal ? 1 : undefined) as Promise<void>;
  }

  /** @throws Empty when not blocking, or after `timeout` ms. */
  get(options?: RemoteQueueOptions): Promise<T> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('get', args, signal, signal ? 0 : undefined) as Promise<T>;
  }

  putSync(item: T, options?: RemoteQueueOptions): void {
    const args = syncArgs('put', options);
    this.blocking(() => this.callMethod('put', [item, ...args]));
  }

  getSync(options?: RemoteQueueOptions): T {
    const args = syncArgs('get', options);
    return this.blocking(() => this.callMethod('get', args) as Promise<T>);
  }

  /** @throws Full at once if full. */
  putNowait(item: T): void {
    this.blocking(() => this.callMethod('putNowait', [item]));
  }

  /** @throws Empty at once if empty. */
  getNowait(): T {
    return this.blocking(() => this.callMethod('getNowait', []) as Promise<T>);
  }

  qsize(): number {
    return this.blocking(() => this.callMethod('qsize', []) as Promise<number>);
  }

  empty(): boolean {
    return this.blocking(() => this.callMethod('empty', []) as Promise<boolean>);
  }

  full(): boolean {
    return this.blocking(() => this.callMethod('full', []) as Promise<boolean>);
  }

  get maxsize(): number {
    return this.blocking(() => this.callMethod('maxsize', []) as Promise<number>);
  }

  /** JoinableQueue: one item is done. @throws RemoteError 'ValueError' if called too often. */
  taskDone(): void {
    this.blocking(() => this.callMethod('taskDone', []));
  }

  /** JoinableQueue: resolves when every item put has been marked done. */
  join(options?: RemoteWaitOptions): Promise<boolean> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('join', args, signal, signal ? 0 : undefined) as Promise<boolean>;
  }

  /** Blocking twin of `join`. */
  joinSync(options?: RemoteWaitOptions): boolean {
    const args = syncArgs('join', options);
    return this.blocking(() => this.callMethod('join', args) as Promise<boolean>);
  }
}

/** A served object's id and typeid, as the server answers `lockRef()`. */
interface NestedRef {
  id: number;
  typeid: string;
}

function lockProxyOf(owner: BaseProxy, nested: NestedRef | undefined, what: string): RemoteLock {
  if (!nested) throw new TypeError(`a Raw${what} has no lock: use ${what} (with a lock) for getLock()`);
  const ref: RemoteRef = { ...owner.ref, id: nested.id, typeid: nested.typeid };
  return nested.typeid === 'weft:RLock' ? new RemoteRLock(ref) : new RemoteLock(ref);
}

/** A parent's RawValue, in a child process: `.value` reads and writes the parent's memory. */
export class RemoteRawValue<T = unknown> extends BaseProxy {
  get value(): T {
    return this.blocking(() => this.callMethod('value', []) as Promise<T>);
  }

  set value(value: T) {
    this.blocking(() => this.callMethod('setValue', [value]));
  }

  get typecode(): string {
    return this.blocking(() => this.callMethod('typecode', []) as Promise<string>);
  }
}

/** A parent's Value (with its lock), in a child process. */
export class RemoteValue<T = unknown> extends RemoteRawValue<T> {
  #lock: RemoteLock | undefined;

  /** The lock that guards this value (the one the parent's threads use). */
  getLock(): RemoteLock {
    this.#lock ??= lockProxyOf(
      this,
      this.blocking(() => this.callMethod('lockRef', []) as Promise<NestedRef | undefined>),
      'Value',
    );
    return this.#lock;
  }
}

/**
 * A parent's RawSharedArray, in a child process. `.array` reads and writes one element per call
 * (`arr.array[i] += 1`); `toArray()` copies them all in one call.
 */
export class RemoteRawSharedArray extends BaseProxy {
  #length: number | undefined;
  #array: Record<number, number | bigint> | undefined;

  get length(): number {
    this.#length ??= this.blocking(() => this.callMethod('length', []) as Promise<number>);
    return this.#length;
  }

  get typecode(): string {
    return this.blocking(() => this.callMethod('typecode', []) as Promise<string>);
  }

  /** Element `index` (negative counts from the end). @throws RemoteError 'IndexError' */
  get(index: number): number | bigint {
    return this.blocking(() => this.callMethod('get', [index]) as Promise<number | bigint>);
  }

  /** Sets element `index`. @throws RemoteError 'IndexError'; TypeError / OverflowError as the type's. */
  set(index: number, value: number | bigint): void {
    this.blocking(() => this.callMethod('set', [index, value]));
  }

  /** A copy of the elements. */
  toArray(): Array<number | bigint> {
    return this.blocking(() => this.callMethod('toArray', []) as Promise<Array<number | bigint>>);
  }

  [Symbol.iterator](): IterableIterator<number | bigint> {
    return this.toArray()[Symbol.iterator]();
  }

  /**
   * The elements by index, as the type's typed view: `array[i]` reads and `array[i] = x` writes the
   * parent's memory; `length` and iteration work. Anything else throws (a typed-array method here
   * would act on a copy): use `toArray()` for a copy.
   */
  get array(): Record<number, number | bigint> & Iterable<number | bigint> & { readonly length: number } {
    this.#array ??= new Proxy(Object.create(null) as Record<number, number | bigint>, {
      get: (_target, key) => {
        if (key === 'length') return this.length;
        if (key === Symbol.iterator) return () => this[Symbol.iterator]();
        if (typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key)) {
          const index = Number(key);
          return index < this.length ? this.get(index) : undefined;
        }
        if (key === 'then' || typeof key === 'symbol') return undefined;
        throw new TypeError(
          `SharedArray.array.${key} is not available in a child process (it would act on a copy): index it, or use toArray() for a copy`,
        );
      },
      set: (_target, key, value) => {
        if (typeof key !== 'string' || !/^(0|[1-9]\d*)$/.test(key))
          throw new TypeError(`SharedArray.array.${String(key)} cannot be set in a child process`);
        this.set(Number(key), value as number | bigint);
        return true;
      },
    });
    return this.#array as Record<number, number | bigint> &
      Iterable<number | bigint> & { readonly length: number };
  }
}

/** A parent's SharedArray (with its lock), in a child process. */
export class RemoteSharedArray extends RemoteRawSharedArray {
  #lock: RemoteLock | undefined;

  /** The lock that guards this array (the one the parent's threads use). */
  getLock(): RemoteLock {
    this.#lock ??= lockProxyOf(
      this,
      this.blocking(() => this.callMethod('lockRef', []) as Promise<NestedRef | undefined>),
      'SharedArray',
    );
    return this.#lock;
  }
}

/**
 * A parent's pipe Connection, in a child process: the child's own copy of that end (closing it, or
 * the child ending, closes only that copy; the peer sees EOFError once every copy is closed).
 */
export class RemoteConnection extends BaseProxy {
  #closed = false;

  get closed(): boolean {
    return this.#closed || this.blocking(() => this.callMethod('closed', []) as Promise<boolean>);
  }

  get readable(): boolean {
    return this.blocking(() => this.callMethod('readable', []) as Promise<boolean>);
  }

  get writable(): boolean {
    return this.blocking(() => this.callMethod('writable', []) as Promise<boolean>);
  }

  /** Sends `value` (blocking until it is in the pipe). @throws BrokenPipeError, OSError as the type's. */
  send(value: unknown): void {
    this.blocking(() => this.callMethod('send', [value]));
  }

  /** Sends bytes (`size` bytes from `offset`). */
  sendBytes(buffer: ArrayBufferView | ArrayBuffer | SharedArrayBuffer, offset = 0, size?: number): void {
    const bytes = ArrayBuffer.isView(buffer)
      ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      : new Uint8Array(buffer);
    this.blocking(() =>
      this.callMethod('sendBytes', [bytes.slice(offset, size === undefined ? undefined : offset + size)]),
    );
  }

  /** The next message. @throws EOFError once the peer closed and everything was received. */
  recv(options?: RemoteWaitOptions): Promise<unknown> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod('recv', args, signal, signal ? 0 : undefined);
  }

  /** Blocking twin of `recv`. */
  recvSync(options?: RemoteWaitOptions): unknown {
    const args = syncArgs('recv', options);
    return this.blocking(() => this.callMethod('recv', args));
  }

  /** The next message's bytes. @throws EOFError; OSError past `maxLength`. */
  recvBytes(maxLength?: number, options?: RemoteWaitOptions): Promise<Uint8Array> {
    const [args, signal] = optionsArgs(options);
    return this.callMethod(
      'recvBytes',
      [maxLength, ...args],
      signal,
      signal ? 1 : undefined,
    ) as Promise<Uint8Array>;
  }

  /** Blocking twin of `recvBytes`. */
  recvBytesSync(maxLength?: number, options?: RemoteWaitOptions): Uint8Array {
    const args = syncArgs('recvBytes', options);
    return this.blocking(() => this.callMethod('recvBytes', [maxLength, ...args]) as Promise<Uint8Array>);
  }

  /** Whether `recv` would not wait; `timeout` ms to wait for that (absent or 0: check at once, null: forever). */
  poll(timeout: number | null = 0): Promise<boolean> {
    return this.callMethod('poll', [timeout]) as Promise<boolean>;
  }

  /** Blocking twin of `poll`. */
  pollSync(timeout: number | null = 0): boolean {
    return this.blocking(() => this.callMethod('poll', [timeout]) as Promise<boolean>);
  }

  /** Closes this child's copy of the end (blocking until done). Idempotent. */
  override close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.blocking(() => this.callMethod('close', []));
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** The proxy class for each 'weft:…' typeid (see served-primitives.ts). */
export const PRIMITIVE_PROXY_CLASSES: Record<
  string,
  new (
    ref: RemoteRef,
    options?: ProxyOptions,
  ) => BaseProxy
> = {
  'weft:Lock': RemoteLock,
  'weft:RLock': RemoteRLock,
  'weft:Semaphore': RemoteSemaphore,
  'weft:BoundedSemaphore': RemoteBoundedSemaphore,
  'weft:Condition': RemoteCondition,
  'weft:Event': RemoteEvent,
  'weft:Barrier': RemoteBarrier,
  'weft:Queue': RemoteQueue,
  'weft:Value': RemoteValue,
  'weft:RawValue': RemoteRawValue,
  'weft:Array': RemoteSharedArray,
  'weft:RawArray': RemoteRawSharedArray,
  'weft:Connection': RemoteConnection,
};
