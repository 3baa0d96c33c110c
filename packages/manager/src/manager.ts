/**
 * Manager: Python's `multiprocessing.Manager()` (a SyncManager): a server on a thread of its own
 * holding shared dicts, lists, queues, locks …, and proxies to them that work from any thread or
 * process.
 */
import { BaseManager, type BaseManagerOptions } from './base-manager.js';
import type {
  ArrayProxy,
  BarrierProxy,
  BoundedSemaphoreProxy,
  ConditionProxy,
  DictProxy,
  EventProxy,
  JoinableQueueProxy,
  ListProxy,
  LockProxy,
  NamespaceProxy,
  QueueProxy,
  RLockProxy,
  SemaphoreProxy,
  ValueProxy,
} from './proxies.js';

export type ArrayTypecode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';

export class Manager extends BaseManager {
  /**
   * Starts a manager (server thread, fresh Unix socket, random authkey) and resolves once it serves.
   * Use `await using manager = await Manager.start()` to shut it down at the end of the block.
   */
  static async start(options: BaseManagerOptions = {}): Promise<Manager> {
    const manager = new Manager(options);
    await manager.start();
    return manager;
  }

  /** A shared dictionary, optionally filled from an object or [key, value] pairs. */
  dict<K = unknown, V = unknown>(
    init?: Iterable<readonly [K, V]> | Record<string, V>,
  ): Promise<DictProxy<K, V>> {
    const data =
      init === undefined ? [] : Symbol.iterator in Object(init) ? [[...(init as Iterable<unknown>)]] : [init];
    return this.create('dict', data) as Promise<DictProxy<K, V>>;
  }

  /** A shared list, optionally filled from `init`. */
  list<T = unknown>(init?: Iterable<T>): Promise<ListProxy<T>> {
    return this.create('list', init === undefined ? [] : [[...init]]) as Promise<ListProxy<T>>;
  }

  /** A namespace of named attributes (`ns.set('x', 1)`, `ns.get('x')`). */
  Namespace(init?: Record<string, unknown>): Promise<NamespaceProxy> {
    return this.create('Namespace', init === undefined ? [] : [init]) as Promise<NamespaceProxy>;
  }

  Queue<T = unknown>(options?: { maxsize?: number }): Promise<QueueProxy<T>> {
    return this.create('Queue', options === undefined ? [] : [options]) as Promise<QueueProxy<T>>;
  }

  JoinableQueue<T = unknown>(options?: { maxsize?: number }): Promise<JoinableQueueProxy<T>> {
    return this.create('JoinableQueue', options === undefined ? [] : [options]) as Promise<
      JoinableQueueProxy<T>
    >;
  }

  Lock(): Promise<LockProxy> {
    return this.create('Lock', []) as Promise<LockProxy>;
  }

  RLock(): Promise<RLockProxy> {
    return this.create('RLock', []) as Promise<RLockProxy>;
  }

  Semaphore(value = 1): Promise<SemaphoreProxy> {
    return this.create('Semaphore', [value]) as Promise<SemaphoreProxy>;
  }

  BoundedSemaphore(value = 1): Promise<BoundedSemaphoreProxy> {
    return this.create('BoundedSemaphore', [value]) as Promise<BoundedSemaphoreProxy>;
  }

  Event(): Promise<EventProxy> {
    return this.create('Event', []) as Promise<EventProxy>;
  }

  Condition(): Promise<ConditionProxy> {
    return this.create('Condition', []) as Promise<ConditionProxy>;
  }

  /** A barrier for `parties` callers; `timeout` (ms) is the default for each wait. */
  Barrier(parties: number, options?: { timeout?: number }): Promise<BarrierProxy> {
    return this.create(
      'Barrier',
      options === undefined ? [parties] : [parties, options],
    ) as Promise<BarrierProxy>;
  }

  /** One shared value; `typecode` is kept for Python's API and not enforced (any codec value). */
  Value<T = unknown>(typecode: string, value: T): Promise<ValueProxy<T>> {
    return this.create('Value', [typecode, value]) as Promise<ValueProxy<T>>;
  }

  /** A fixed-length numeric sequence; values must fit `typecode` (Python's array module codes). */
  Array(typecode: ArrayTypecode, values: Iterable<number> | number): Promise<ArrayProxy> {
    return this.create('Array', [
      typecode,
      typeof values === 'number' ? values : [...values],
    ]) as Promise<ArrayProxy>;
  }

  protected override servesBuiltins(): boolean {
    return true;
  }
}
