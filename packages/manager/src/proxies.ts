/**
 * Typed proxies for the Manager's built-in types. Method names say what they do; each returns a
 * Promise. Values are copied in and out (see README: "nested values are not written back").
 */
import { BaseProxy, type CallOptions, type ProxyOptions } from './base-proxy.js';
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
}

/** `manager.Lock()`. */
export class LockProxy extends BaseProxy {
  /** Resolves true once held; false if `blocking: false` and taken, or after `timeout` ms. */
  acquire(options?: AcquireOptions): Promise<boolean> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('acquire', rest ? [rest] : [], signal) as Promise<boolean>;
  }
  /** @throws RemoteError 'RuntimeError' if not held (by this connection, for an RLock). */
  release(): Promise<void> {
    return this.callMethod('release', []) as Promise<void>;
  }
  locked(): Promise<boolean> {
    return this.callMethod('locked', []) as Promise<boolean>;
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
}

/**
 * `manager.RLock()`. The owner is the calling thread's connection to the manager: re-entrant within
 * one thread, exclusive between threads and processes.
 */
export class RLockProxy extends LockProxy {}

/** `manager.Semaphore(value)` and `manager.BoundedSemaphore(value)`. */
export class SemaphoreProxy extends BaseProxy {
  /** Resolves true once a unit is taken; false if not blocking, or after `timeout` ms. */
  acquire(options?: AcquireOptions): Promise<boolean> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('acquire', rest ? [rest] : [], signal) as Promise<boolean>;
  }
  /** @throws RemoteError 'ValueError' for a BoundedSemaphore released above its initial value. */
  release(n = 1): Promise<void> {
    return this.callMethod('release', [n]) as Promise<void>;
  }
  /** The current counter. */
  getValue(): Promise<number> {
    return this.callMethod('getValue', []) as Promise<number>;
  }
  async withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
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
}

/** `manager.Condition()` (with its own RLock, owned per thread like RLockProxy). */
export class ConditionProxy extends BaseProxy {
  acquire(options?: AcquireOptions): Promise<boolean> {
    const [rest, signal] = BaseProxy.split(options);
    return this.callMethod('acquire', rest ? [rest] : [], signal) as Promise<boolean>;
  }
  release(): Promise<void> {
    return this.callMethod('release', []) as Promise<void>;
  }
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
  async withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
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
}

/** `manager.Value(typecode, value)`: one value in the manager (Python's `.value` is get()/set()). */
export class ValueProxy<T = unknown> extends BaseProxy {
  get(): Promise<T> {
    return this.callMethod('get', []) as Promise<T>;
  }
  set(value: T): Promise<void> {
    return this.callMethod('set', [value]) as Promise<void>;
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
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * The proxy of a served object of type T: each method becomes async (its result awaited in the
 * server); other members are read with a call of no arguments.
 */
export type Proxied<T> = {
  [K in keyof T as K extends string
    ? K extends `_${string}` | `${string}Sync`
      ? never
      : K
    : never]: T[K] extends AnyFunction
    ? (...args: Parameters<T[K]>) => Promise<Awaited<ReturnType<T[K]>>>
    : () => Promise<T[K]>;
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
}

/** A proxy for any served object: every property is a remote method. */
export function genericProxy<T>(ref: RemoteRef, options?: ProxyOptions): Proxied<T> {
  const base = new GenericProxy(ref, options);
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(base, {
    get(target, property, receiver) {
      if (typeof property !== 'string' || property in target) return Reflect.get(target, property, receiver);
      // `then` must stay undefined, or `await proxy` would treat the proxy as a promise.
      if (property === 'then') return undefined;
      let method = methods.get(property);
      if (!method) {
        method = (...args: unknown[]) => target.call(property, args);
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
};

/** The right proxy for `ref`: a typed one for the built-in typeids, a generic one otherwise. */
export function proxyFor(ref: RemoteRef, options?: ProxyOptions): BaseProxy {
  const Class = Object.hasOwn(PROXY_CLASSES, ref.typeid) ? PROXY_CLASSES[ref.typeid] : undefined;
  return Class ? new Class(ref, options) : (genericProxy(ref, options) as unknown as BaseProxy);
}
