/**
 * Typed proxies for the Manager's built-in types. Method names say what they do; each returns a
 * Promise. Values are copied in and out (see README: "nested values are not written back").
 */
import { BaseProxy, type CallOptions, type ProxyOptions } from './base-proxy.js';
import { PRIMITIVE_PROXY_CLASSES } from './primitive-proxies.js';
import type { RemoteRef } from './remote-ref.js';

export interface TimeoutOptions extends CallOptions {
  /** Milliseconds; absent = wait forever. */
  timeout?: number | undefined;
}

export interface BlockOptions extends TimeoutOptions {
  /** false: do not wait (Python's block=False). Default true. */
  block?: boolean | undefined;
}

export interface AcquireOptions extends TimeoutOptions {
  /** false: do not wait (Python's blocking=False). Default true. */
  blocking?: boolean | undefined;
}

/** Options of a blocking (`…Sync`) call: the async form's, without `signal`. */
export type SyncTimeoutOptions = Omit<TimeoutOptions, 'signal'>;
export type SyncBlockOptions = Omit<BlockOptions, 'signal'>;
export type SyncAcquireOptions = Omit<AcquireOptions, 'signal'>;

/** `manager.dict()`: a Map-like dictionary in the manager. */
export class DictProxy<K = unknown, V = unknown> extends BaseProxy {
  /** The value for `key`, or `defaultValue` (undefined) if absent. */
  get(key: K): Promise<V | undefined>;
  get<D>(key: K, defaultValue: D): Promise<V | D>;
  get(key: K, ...defaultValue: unknown[]): Promise<unknown> {
    return this.callMethod('get', [key, ...defaultValue]);
  }
  set(key: K, value: V): Promise<void> {
    return this.callMethod('set', [key, value]) as Promise<void>;
  }
  /** Removes `key`; resolves true if it was there. */
  delete(key: K): Promise<boolean> {
    return this.callMethod('delete', [key]) as Promise<boolean>;
  }
  has(key: K): Promise<boolean> {
    return this.callMethod('has', [key]) as Promise<boolean>;
  }
  keys(): Promise<K[]> {
    return this.callMethod('keys', []) as Promise<K[]>;
  }
  values(): Promise<V[]> {
    return this.callMethod('values', []) as Promise<V[]>;
  }
  items(): Promise<Array<[K, V]>> {
    return this.callMethod('items', []) as Promise<Array<[K, V]>>;
  }
  size(): Promise<number> {
    return this.callMethod('size', []) as Promise<number>;
  }
  /** A plain object of the entries (keys as strings). */
  toObject(): Promise<Record<string, V>> {
    return this.callMethod('toObject', []) as Promise<Record<string, V>>;
  }
  clear(): Promise<void> {
    return this.callMethod('clear', []) as Promise<void>;
  }
  /** Sets every entry given (an object or [key, value] pairs). */
  update(entries: Iterable<readonly [K, V]> | Record<string, V>): Promise<void> {
    const data = Symbol.iterator in Object(entries) ? [...(entries as Iterable<readonly [K, V]>)] : entries;
    return this.callMethod('update', [data]) as Promise<void>;
  }
  /** Removes `key` and resolves with its value. @throws RemoteError 'KeyError' if absent without a default. */
  pop(key: K, ...defaultValue: [V?]): Promise<V> {
    return this.callMethod('pop', [key, ...defaultValue]) as Promise<V>;
  }
  /** The value for `key`; stores `defaultValue` first if absent (Python's setdefault). */
  setDefault(key: K, defaultValue: V): Promise<V> {
    return this.callMethod('setDefault', [key, defaultValue]) as Promise<V>;
  }

  // Blocking twins: each blocks this thread until the server answers (see README, "Sync calls").
  /** Blocking get(). @throws SyncDeadlockError if this thread serves the dict. */
  getSync(key: K): V | undefined;
  getSync<D>(key: K, defaultValue: D): V | D;
  getSync(key: K, ...defaultValue: unknown[]): unknown {
    return this.blocking(() => this.get(key, ...(defaultValue as [unknown])));
  }
  setSync(key: K, value: V): void {
    this.blocking(() => this.set(key, value));
  }
  deleteSync(key: K): boolean {
    return this.blocking(() => this.delete(key));
  }
  hasSync(key: K): boolean {
    return this.blocking(() => this.has(key));
  }
  keysSync(): K[] {
    return this.blocking(() => this.keys());
  }
  valuesSync(): V[] {
    return this.blocking(() => this.values());
  }
  itemsSync(): Array<[K, V]> {
    return this.blocking(() => this.items());
  }
  sizeSync(): number {
    return this.blocking(() => this.size());
  }
  toObjectSync(): Record<string, V> {
    return this.blocking(() => this.toObject());
  }
  clearSync(): void {
    this.blocking(() => this.clear());
  }
  updateSync(entries: Iterable<readonly [K, V]> | Record<string, V>): void {
    this.blocking(() => this.update(entries));
  }
  /** @throws RemoteError 'KeyError' if absent without a default. */
  popSync(key: K, ...defaultValue: [V?]): V {
    return this.blocking(() => this.pop(key, ...defaultValue));
  }
  setDefaultSync(key: K, defaultValue: V): V {
    return this.blocking(() => this.setDefault(key, defaultValue));
  }
}

/** `manager.list()`: an array in the manager. Negative indexes count from the end. */
export class ListProxy<T = unknown> extends BaseProxy {
  /** @throws RemoteError 'IndexError' out of range. */
  get(index: number): Promise<T> {
    return this.callMethod('get', [index]) as Promise<T>;
  }
  /** @throws RemoteError 'IndexError' out of range. */
  set(index: number, value: T): Promise<void> {
    return this.callMethod('set', [index, value]) as Promise<void>;
  }
  append(value: T): Promise<void> {
    return this.callMethod('append', [value]) as Promise<void>;
  }
  extend(values: Iterable<T>): Promise<void> {
    return this.callMethod('extend', [[...values]]) as Promise<void>;
  }
  length(): Promise<number> {
    return this.callMethod('length', []) as Promise<number>;
  }
  toArray(): Promise<T[]> {
    return this.callMethod('toArray', []) as Promise<T[]>;
  }
  /** Removes and resolves with the item at `index` (default the last). */
  pop(index?: number): Promise<T> {
    return this.callMethod('pop', index === undefined ? [] : [index]) as Promise<T>;
  }
  insert(index: number, value: T): Promise<void> {
    return this.callMethod('insert', [index, value]) as Promise<void>;
  }
  /** @throws RemoteError 'ValueError' if absent. */
  index(value: T): Promise<number> {
    return this.callMethod('index', [value]) as Promise<number>;
  }
  /** @throws RemoteError 'ValueError' if absent. */
  remove(value: T): Promise<void> {
    return this.callMethod('remove', [value]) as Promise<void>;
  }
  clear(): Promise<void> {
    return this.callMethod('clear', []) as Promise<void>;
  }
  slice(start?: number, end?: number): Promise<T[]> {
    return this.callMethod('slice', [start, end]) as Promise<T[]>;
  }

  // Blocking twins (see README, "Sync calls").
  /** @throws RemoteError 'IndexError' out of range. */
  getSync(index: number): T {
    return this.blocking(() => this.get(index));
  }
  setSync(index: number, value: T): void {
    this.blocking(() => this.set(index, value));
  }
  appendSync(value: T): void {
    this.blocking(() => this.append(value));
  }
  extendSync(values: Iterable<T>): void {
    this.blocking(() => this.extend(values));
  }
  lengthSync(): number {
    return this.blocking(() => this.length());
  }
  toArraySync(): T[] {
    return this.blocking(() => this.toArray());
  }
  popSync(index?: number): T {
    return this.blocking(() => this.pop(index));
  }
  insertSync(index: number, value: T): void {
    this.blocking(() => this.insert(index, value));
  }
  indexSync(value: T): number {
    return this.blocking(() => this.index(value));
  }
  removeSync(value: T): void {
    this.blocking(() => this.remove(value));
  }
  clearSync(): void {
    this.blocking(() => this.clear());
  }
  sliceSync(start?: number, end?: number): T[] {
    return this.blocking(() => this.slice(start, end));
  }
}

/** `manager.Namespace()`: named attributes. `await ns.set('x', 1)`, `await ns.get('x')`. */
export class NamespaceProxy extends BaseProxy {
  /** @throws RemoteError 'AttributeError' if never set. */
  get<T = unknown>(name: string): Promise<T> {
    return this.callMethod('get', [name]) as Promise<T>;
  }
  set(name: string, value: unknown): Promise<void> {
    return this.callMethod('set', [name, value]) as Promise<void>;
  }
  delete(name: string): Promise<boolean> {
    return this.callMethod('delete', [name]) as Promise<boolean>;
  }
  has(name: string): Promise<boolean> {
    return this.callMethod('has', [name]) as Promise<boolean>;
  }
  toObject(): Promise<Record<string, unknown>> {
    return this.callMethod('toObject', []) as Promise<Record<string, unknown>>;
  }

  // Blocking twins (see README, "Sync calls").
  /** @throws RemoteError 'AttributeError' if never set. */
  getSync<T = unknown>(name: string): T {
    return this.blocking(() => this.get<T>(name));
  }
  setSync(name: string, value: unknown): void {
    this.blocking(() => this.set(name, value));
  }
  deleteSync(name: string): boolean {
    return this.blocking(() => this.delete(name));
  }
  hasSync(name: string): boolean {
    return this.blocking(() => this.has(name));
  }
  toObjectSync(): Record<string, unknown> {
    return this.blocking(() => this.toObject());
  }
}

/** `manager.Queue()`: Python's queue.Queue in the manager. */
export class QueueProxy<T = unknown> extends BaseProxy {
  /** @throws Full when not blocking, or after `timeout` ms. */
  put(item: T, options?: BlockOptions): Promise<void> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('put', rest ? [item, rest] : [item], signal) as Promise<void>;
  }
  /** @throws Empty when not blocking, or after `timeout` ms. */
  get(options?: BlockOptions): Promise<T> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('get', rest ? [rest] : [], signal) as Promise<T>;
  }
  /** @throws Full at once if full. */
  putNowait(item: T): Promise<void> {
    return this.callMethod('putNowait', [item]) as Promise<void>;
  }
  /** @throws Empty at once if empty. */
  getNowait(): Promise<T> {
    return this.callMethod('getNowait', []) as Promise<T>;
  }
  qsize(): Promise<number> {
    return this.callMethod('qsize', []) as Promise<number>;
  }
  empty(): Promise<boolean> {
    return this.callMethod('empty', []) as Promise<boolean>;
  }
  full(): Promise<boolean> {
    return this.callMethod('full', []) as Promise<boolean>;
  }

  // Blocking twins (see README, "Sync calls"): the thread blocks until the server answers.
  /** Blocks until there is room. @throws Full when not blocking, or after `timeout` ms. */
  putSync(item: T, options?: SyncBlockOptions): void {
    this.blocking(() => this.put(item, options));
  }
  /** Blocks until an item comes. @throws Empty when not blocking, or after `timeout` ms. */
  getSync(options?: SyncBlockOptions): T {
    return this.blocking(() => this.get(options));
  }
  /** @throws Full at once if full. */
  putNowaitSync(item: T): void {
    this.blocking(() => this.putNowait(item));
  }
  /** @throws Empty at once if empty. */
  getNowaitSync(): T {
    return this.blocking(() => this.getNowait());
  }
  qsizeSync(): number {
    return this.blocking(() => this.qsize());
  }
  emptySync(): boolean {
    return this.blocking(() => this.empty());
  }
  fullSync(): boolean {
    return this.blocking(() => this.full());
  }
}

/** `manager.JoinableQueue()`: a Queue whose consumers report each item done. */
export class JoinableQueueProxy<T = unknown> extends QueueProxy<T> {
  /** @throws RemoteError 'ValueError' if called more times than items were put. */
  taskDone(): Promise<void> {
    return this.callMethod('taskDone', []) as Promise<void>;
  }
  /** Resolves when every item put has been marked done. */
  join(options?: CallOptions): Promise<void> {
    return this.callMethod('join', [], options?.signal) as Promise<void>;
  }

  taskDoneSync(): void {
    this.blocking(() => this.taskDone());
  }
  /** Blocks until every item put has been marked done. */
  joinSync(): void {
    this.blocking(() => this.join());
  }
}

/**
 * What the lock-like proxies share (Lock, RLock, Semaphore, Condition): acquire and release on the
 * server, `withLock`, and their blocking twins.
 */
export abstract class AcquirableProxy extends BaseProxy {
  /** Resolves true once held (a Semaphore: a unit taken); false if not blocking, or after `timeout` ms. */
  acquire(options?: AcquireOptions): Promise<boolean> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('acquire', rest ? [rest] : [], signal) as Promise<boolean>;
  }
  /** @throws RemoteError 'RuntimeError' if not held (by this connection, for an RLock or a Condition). */
  release(): Promise<void> {
    return this.callMethod('release', []) as Promise<void>;
  }
  /** Acquires, runs `fn`, releases (also when `fn` throws). */
  async withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  // Blocking twins (see README, "Sync calls").
  /** Blocks until held; false if `blocking: false` and taken, or after `timeout` ms. */
  acquireSync(options?: SyncAcquireOptions): boolean {
    return this.blocking(() => this.acquire(options));
  }
  releaseSync(): void {
    this.blocking(() => this.release());
  }
  /** Acquires (blocking), runs `fn`, releases (also when `fn` throws). */
  withLockSync<R>(fn: () => R): R {
    this.acquireSync();
    try {
      return fn();
    } finally {
      this.releaseSync();
    }
  }
}

/** `manager.Lock()`. */
export class LockProxy extends AcquirableProxy {
  locked(): Promise<boolean> {
    return this.callMethod('locked', []) as Promise<boolean>;
  }

  // Blocking twins (see README, "Sync calls").
  lockedSync(): boolean {
    return this.blocking(() => this.locked());
  }
}

/**
 * `manager.RLock()`. The owner is the calling thread's connection to the manager: re-entrant within
 * one thread, exclusive between threads and processes.
 */
export class RLockProxy extends LockProxy {}

/** `manager.Semaphore(value)` and `manager.BoundedSemaphore(value)`. */
export class SemaphoreProxy extends AcquirableProxy {
  /** @throws RemoteError 'ValueError' for a BoundedSemaphore released above its initial value. */
  override release(n = 1): Promise<void> {
    return this.callMethod('release', [n]) as Promise<void>;
  }
  /** The current counter. */
  getValue(): Promise<number> {
    return this.callMethod('getValue', []) as Promise<number>;
  }

  // Blocking twins (see README, "Sync calls").
  override releaseSync(n = 1): void {
    this.blocking(() => this.release(n));
  }
  getValueSync(): number {
    return this.blocking(() => this.getValue());
  }
}

export class BoundedSemaphoreProxy extends SemaphoreProxy {}

/** `manager.Event()`. */
export class EventProxy extends BaseProxy {
  set(): Promise<void> {
    return this.callMethod('set', []) as Promise<void>;
  }
  clear(): Promise<void> {
    return this.callMethod('clear', []) as Promise<void>;
  }
  isSet(): Promise<boolean> {
    return this.callMethod('isSet', []) as Promise<boolean>;
  }
  /** Resolves true once set; false after `timeout` ms. */
  wait(options?: TimeoutOptions): Promise<boolean> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('wait', rest ? [rest] : [], signal) as Promise<boolean>;
  }

  // Blocking twins (see README, "Sync calls").
  setSync(): void {
    this.blocking(() => this.set());
  }
  clearSync(): void {
    this.blocking(() => this.clear());
  }
  isSetSync(): boolean {
    return this.blocking(() => this.isSet());
  }
  /** Blocks until set; false after `timeout` ms. */
  waitSync(options?: SyncTimeoutOptions): boolean {
    return this.blocking(() => this.wait(options));
  }
}

/** `manager.Condition()` (with its own RLock, owned per thread like RLockProxy). */
export class ConditionProxy extends AcquirableProxy {
  /**
   * Releases the lock, waits for a notify, re-acquires. Resolves false if `timeout` ms passed.
   * @throws RemoteError 'RuntimeError' if this thread does not hold the lock.
   */
  wait(options?: TimeoutOptions): Promise<boolean> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('wait', rest ? [rest] : [], signal) as Promise<boolean>;
  }
  /**
   * Waits until `predicate()` (run here, in the caller) is truthy; resolves with its last value.
   * The lock must be held, as in Python.
   */
  async waitFor<R>(predicate: () => R | Promise<R>, options?: TimeoutOptions): Promise<R> {
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
  /** @throws RemoteError 'RuntimeError' if this thread does not hold the lock. */
  notify(n = 1): Promise<void> {
    return this.callMethod('notify', [n]) as Promise<void>;
  }
  notifyAll(): Promise<void> {
    return this.callMethod('notifyAll', []) as Promise<void>;
  }

  // Blocking twins (see README, "Sync calls").
  /** Blocking wait(): false if `timeout` ms passed. @throws RemoteError 'RuntimeError' if not held. */
  waitSync(options?: SyncTimeoutOptions): boolean {
    return this.blocking(() => this.wait(options));
  }
  /** Blocking waitFor() with a synchronous `predicate`; returns its last value. */
  waitForSync<R>(predicate: () => R, options?: SyncTimeoutOptions): R {
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
  notifySync(n = 1): void {
    this.blocking(() => this.notify(n));
  }
  notifyAllSync(): void {
    this.blocking(() => this.notifyAll());
  }
}

/** `manager.Barrier(parties)`. */
export class BarrierProxy extends BaseProxy {
  /** Resolves with this caller's arrival index. @throws BrokenBarrierError if broken or timed out. */
  wait(options?: TimeoutOptions): Promise<number> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('wait', rest ? [rest] : [], signal) as Promise<number>;
  }
  abort(): Promise<void> {
    return this.callMethod('abort', []) as Promise<void>;
  }
  reset(): Promise<void> {
    return this.callMethod('reset', []) as Promise<void>;
  }
  parties(): Promise<number> {
    return this.callMethod('getParties', []) as Promise<number>;
  }
  nWaiting(): Promise<number> {
    return this.callMethod('nWaiting', []) as Promise<number>;
  }
  broken(): Promise<boolean> {
    return this.callMethod('broken', []) as Promise<boolean>;
  }

  // Blocking twins (see README, "Sync calls").
  /** Blocks until all parties arrived. @throws BrokenBarrierError if broken or timed out. */
  waitSync(options?: SyncTimeoutOptions): number {
    return this.blocking(() => this.wait(options));
  }
  abortSync(): void {
    this.blocking(() => this.abort());
  }
  resetSync(): void {
    this.blocking(() => this.reset());
  }
  partiesSync(): number {
    return this.blocking(() => this.parties());
  }
  nWaitingSync(): number {
    return this.blocking(() => this.nWaiting());
  }
  brokenSync(): boolean {
    return this.blocking(() => this.broken());
  }
}

/** `manager.Value(typecode, value)`: one value in the manager (Python's `.value` is get()/set()). */
export class ValueProxy<T = unknown> extends BaseProxy {
  get(): Promise<T> {
    return this.callMethod('get', []) as Promise<T>;
  }
  set(value: T): Promise<void> {
    return this.callMethod('set', [value]) as Promise<void>;
  }

  // Blocking twins (see README, "Sync calls").
  getSync(): T {
    return this.blocking(() => this.get());
  }
  setSync(value: T): void {
    this.blocking(() => this.set(value));
  }
}

/** `manager.Array(typecode, values)`: a fixed-length typed sequence in the manager. */
export class ArrayProxy extends BaseProxy {
  get(index: number): Promise<number> {
    return this.callMethod('get', [index]) as Promise<number>;
  }
  set(index: number, value: number): Promise<void> {
    return this.callMethod('set', [index, value]) as Promise<void>;
  }
  length(): Promise<number> {
    return this.callMethod('length', []) as Promise<number>;
  }
  toArray(): Promise<number[]> {
    return this.callMethod('toArray', []) as Promise<number[]>;
  }

  // Blocking twins (see README, "Sync calls").
  getSync(index: number): number {
    return this.blocking(() => this.get(index));
  }
  setSync(index: number, value: number): void {
    this.blocking(() => this.set(index, value));
  }
  lengthSync(): number {
    return this.blocking(() => this.length());
  }
  toArraySync(): number[] {
    return this.blocking(() => this.toArray());
  }
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * The proxy of a served object of type T: each method becomes async (its result awaited in the
 * server); other members are read with a call of no arguments. Each also has a blocking twin
 * `nameSync(...)` that calls the async `name` remotely and blocks this thread for its result; T's own
 * `…Sync` methods keep their signatures (they call the async method of the same base name).
 */
export type Proxied<T> = {
  [K in keyof T as K extends string
    ? K extends `_${string}` | `${string}Sync`
      ? never
      : K
    : never]: T[K] extends AnyFunction
    ? (...args: Parameters<T[K]>) => Promise<Awaited<ReturnType<T[K]>>>
    : () => Promise<T[K]>;
} & {
  [K in keyof T as K extends string
    ? K extends `_${string}` | `${string}Sync`
      ? never
      : `${K}Sync` extends keyof T
        ? never
        : `${K}Sync`
    : never]: T[K] extends AnyFunction
    ? (...args: Parameters<T[K]>) => Awaited<ReturnType<T[K]>>
    : () => T[K];
} & {
  [K in keyof T as K extends `_${string}`
    ? never
    : K extends `${string}Sync`
      ? K
      : never]: T[K] extends AnyFunction ? (...args: Parameters<T[K]>) => Awaited<ReturnType<T[K]>> : never;
} & { readonly ref: RemoteRef };

class GenericProxy extends BaseProxy {
  /**
   * An options object's `signal` cannot be sent; it is taken out and used to cancel the call (the
   * server then stops waiting), as the typed proxies do.
   */
  call(method: string, args: unknown[]): Promise<unknown> {
    let signal: AbortSignal | undefined;
    let signalArg: number | undefined;
    const sent = args.map((arg, index) => {
      if (arg && typeof arg === 'object' && Object.getPrototypeOf(arg) === Object.prototype) {
        const options = arg as { signal?: unknown };
        if (options.signal instanceof AbortSignal) {
          signal = options.signal;
          signalArg = index;
          const { signal: _, ...rest } = options;
          return rest;
        }
      }
      return arg;
    });
    return this.callMethod(method, sent, signal, signalArg);
  }

  /** The blocking form of call(). */
  callSync(method: string, args: unknown[]): unknown {
    return this.blocking(() => this.call(method, args));
  }
}

const SYNC_SUFFIX = 'Sync';

/** A proxy for any served object: every property is a remote method. */
export function genericProxy<T>(ref: RemoteRef, options?: ProxyOptions): Proxied<T> {
  const base = new GenericProxy(ref, options);
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy(base, {
    get(target, property, receiver) {
      if (typeof property !== 'string' || property in target) return Reflect.get(target, property, receiver);
      // `then` must stay undefined, or `await proxy` would treat the proxy as a promise.
      if (property === 'then') return undefined;
      let method = methods.get(property);
      if (!method) {
        // `nameSync` blocks on the async `name`: the server never runs a blocking twin itself.
        const base = property.slice(0, -SYNC_SUFFIX.length);
        method =
          property.endsWith(SYNC_SUFFIX) && base.length > 0
            ? (...args: unknown[]) => target.callSync(base, args)
            : (...args: unknown[]) => target.call(property, args);
        methods.set(property, method);
      }
      return method;
    },
  }) as unknown as Proxied<T>;
}

const PROXY_CLASSES: Record<string, new (ref: RemoteRef, options?: ProxyOptions) => BaseProxy> = {
  dict: DictProxy,
  list: ListProxy,
  Namespace: NamespaceProxy,
  Queue: QueueProxy,
  JoinableQueue: JoinableQueueProxy,
  Lock: LockProxy,
  RLock: RLockProxy,
  Semaphore: SemaphoreProxy,
  BoundedSemaphore: BoundedSemaphoreProxy,
  Event: EventProxy,
  Condition: ConditionProxy,
  Barrier: BarrierProxy,
  Value: ValueProxy,
  Array: ArrayProxy,
  ...PRIMITIVE_PROXY_CLASSES,
};

/** The right proxy for `ref`: a typed one for the built-in typeids, a generic one otherwise. */
export function proxyFor(ref: RemoteRef, options?: ProxyOptions): BaseProxy {
  const Class = Object.hasOwn(PROXY_CLASSES, ref.typeid) ? PROXY_CLASSES[ref.typeid] : undefined;
  return Class ? new Class(ref, options) : (genericProxy(ref, options) as unknown as BaseProxy);
}
