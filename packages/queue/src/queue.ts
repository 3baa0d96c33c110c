import {
  ByteRing,
  CLOSED,
  FULL,
  type GoesBefore,
  isRingBusy,
  type PushOutcome,
  type RingOrder,
  TAKE_CLOSED,
  TAKE_EMPTY,
  type Take,
  type TakeOutcome,
} from './byte-ring.js';
import { Empty, Full, QueueClosed, ValueError } from './errors.js';
import { decodeItem, encodeItem, encodeWith } from './wire.js';

export interface QueueOptions {
  /** Most items held at once; `put` waits (or raises `Full`) beyond it. 0 or less = unbounded. */
  maxsize?: number | undefined;
}

export interface PutOptions {
  /** False: raise `Full` at once instead of waiting for room (default true). */
  block?: boolean | undefined;
  /** Milliseconds to wait for room before raising `Full`; absent = forever. Ignored when `block` is false. */
  timeout?: number | undefined;
  /** Aborting rejects (or throws from) the wait with `signal.reason`; nothing is put. */
  signal?: AbortSignal | undefined;
}

export interface GetOptions {
  /** False: raise `Empty` at once instead of waiting for an item (default true). */
  block?: boolean | undefined;
  /** Milliseconds to wait for an item before raising `Empty`; absent = forever. Ignored when `block` is false. */
  timeout?: number | undefined;
  /** Aborting rejects (or throws from) the wait with `signal.reason`; nothing is taken. */
  signal?: AbortSignal | undefined;
}

export interface JoinOptions {
  /** Milliseconds; absent = forever. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Set by `attachQueue` for the one constructor call that rebuilds a queue over existing memory. */
let ringToAttach: ByteRing | undefined;

/** Internal: the ring under a queue (for the handle kind). */
export let ringOf: (queue: Queue<unknown>) => ByteRing;

/** Internal: builds an instance of `type` over an existing ring instead of a new one. */
export function attachQueue<Q extends Queue<unknown>>(build: () => Q, ring: ByteRing): Q {
  ringToAttach = ring;
  try {
    return build();
  } finally {
    ringToAttach = undefined;
  }
}

function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && !(timeout >= 0)) {
    throw new ValueError(`'timeout' must be a non-negative number of milliseconds, got ${timeout}`);
  }
}

const NO_OPTIONS: PutOptions & GetOptions = Object.freeze({});
const WAIT_FOREVER = Object.freeze({ block: true, timeout: undefined, signal: undefined });

/** Decodes a popped item straight from the ring's scratch copy (no buffer of its own). */
const takeItem: Take<unknown> = (bytes) => decodeItem(bytes);

function waitOptions(options: PutOptions | GetOptions) {
  if (options === NO_OPTIONS) return WAIT_FOREVER;
  const block = options.block ?? true;
  if (block) checkTimeout(options.timeout);
  return { block, timeout: options.timeout, signal: options.signal };
}

/**
 * A FIFO queue in shared memory that any number of threads put to and get from at once, like
 * Python's `multiprocessing.Queue` / `queue.Queue`. Items are anything the weft codec carries
 * (structured-clone values and weft handles), of any size. Passes to workers — and through other
 * queues and pipes — as a handle: the other side uses the same queue.
 */
export class Queue<T = unknown> implements AsyncIterable<T> {
  readonly #ring: ByteRing;
  readonly #pushForever = (bytes: Uint8Array): PushOutcome => this.#ring.pushSync(bytes, WAIT_FOREVER);

  static {
    ringOf = (queue) => queue.#ring;
  }

  /**
   * @param options `{ maxsize }` — or, like Python's `Queue(5)`, the maxsize itself.
   */
  constructor(options: QueueOptions | number = {}) {
    this.#ring = ringToAttach ?? ByteRing.create({ maxsize: maxsizeOf(options), order: this.ringOrder() });
  }

  /** Internal: the storage order of this kind of queue. */
  protected ringOrder(): RingOrder {
    return 'fifo';
  }

  /** Internal: where a new item goes, for queues that keep their items sorted. */
  protected placement(_item: T): GoesBefore | undefined {
    return undefined;
  }

  /** Most items held at once (0 = unbounded). */
  get maxsize(): number {
    return this.#ring.maxsize;
  }

  /** True once `close()` was called (by any thread). */
  get closed(): boolean {
    return this.#ring.isClosedForWriting();
  }

  /**
   * Puts `item` at the tail, waiting for room while the queue holds `maxsize` items.
   * Never waits for a reader otherwise, however large the item.
   * @returns (resolves) once the item is in the queue.
   * @throws (rejects) `Full` when `block` is false or `timeout` passes while full; `QueueClosed`
   *   after `close()`; `DataCloneError` for an item that cannot cross threads; `signal.reason` on abort.
   */
  async put(item: T, options: PutOptions = NO_OPTIONS): Promise<void> {
    const wait = waitOptions(options);
    wait.signal?.throwIfAborted();
    const placement = this.placement(item);
    // Straight from the codec's scratch memory into the ring; a copy only if we must wait for room, or
    // for the ring's lock (held past a short park: the event loop must go on, see isRingBusy).
    let first: PushOutcome;
    try {
      first = encodeWith(item, (bytes) => this.#ring.tryPush(bytes, false, placement, false, true));
    } catch (error) {
      if (!isRingBusy(error)) throw error;
      return raisePut(await this.#ring.pushAsync(encodeItem(item), wait, placement));
    }
    if (first !== FULL || !wait.block) return raisePut(first);
    raisePut(await this.#ring.pushAsync(encodeItem(item), wait, placement));
  }

  /**
   * Blocking twin of `put`: blocks the calling thread while the queue is full.
   * @throws `Full`, `QueueClosed`, `DataCloneError`, `signal.reason` as `put`; `SyncWaitNotAllowedError`
   *   where this thread may not block.
   */
  putSync(item: T, options: PutOptions = NO_OPTIONS): void {
    const wait = waitOptions(options);
    const placement = this.placement(item);
    // The common call (no options, FIFO order) reuses one callback instead of a closure per put.
    if (wait === WAIT_FOREVER && placement === undefined) raisePut(encodeWith(item, this.#pushForever));
    else raisePut(encodeWith(item, (bytes) => this.#ring.pushSync(bytes, wait, placement)));
  }

  /**
   * Puts without waiting: `put(item, { block: false })`, synchronously.
   * @throws `Full` when the queue holds `maxsize` items; `QueueClosed` after `close()`.
   */
  putNowait(item: T): void {
    const placement = this.placement(item);
    raisePut(encodeWith(item, (bytes) => this.#ring.tryPush(bytes, false, placement)));
  }

  /**
   * Takes the item at the head, waiting while the queue is empty.
   * @returns (resolves to) the item.
   * @throws (rejects) `Empty` when `block` is false or `timeout` passes while empty; `QueueClosed`
   *   when the queue is closed and drained (waiting getters are woken with it); `signal.reason` on abort.
   */
  async get(options: GetOptions = NO_OPTIONS): Promise<T> {
    return this.#item(await this.#ring.takeAsync(waitOptions(options), takeItem));
  }

  /**
   * Blocking twin of `get`.
   * @throws `Empty`, `QueueClosed`, `signal.reason` as `get`; `SyncWaitNotAllowedError` where this
   *   thread may not block.
   */
  getSync(options: GetOptions = NO_OPTIONS): T {
    return this.#item(this.#ring.takeSync(waitOptions(options), takeItem));
  }

  /**
   * Takes an item without waiting: `get({ block: false })`, synchronously.
   * @throws `Empty` when there is none; `QueueClosed` when closed and drained.
   */
  getNowait(): T {
    return this.#item(this.#ring.tryTake(takeItem));
  }

  #item(outcome: TakeOutcome<unknown>): T {
    if (outcome === TAKE_EMPTY) throw new Empty();
    if (outcome === TAKE_CLOSED) throw new QueueClosed('queue is closed and drained');
    return outcome as T;
  }

  /** Items in the queue now (other threads may change it at once, as in Python). */
  qsize(): number {
    return this.#ring.count();
  }

  /** True when the queue holds no item now. */
  empty(): boolean {
    return this.#ring.count() === 0;
  }

  /** True when the queue holds `maxsize` items now (never for an unbounded queue). */
  full(): boolean {
    return this.#ring.isFull();
  }

  /**
   * Stops new puts, in every thread: `put` raises `QueueClosed` from now on. Items already in the
   * queue are still delivered; then `get` raises `QueueClosed`, and getters already waiting are
   * woken with it. Idempotent.
   */
  close(): void {
    this.#ring.close('writing');
  }

  /**
   * Marks one item taken with `get` as processed (Python's `task_done`).
   * @throws `ValueError` when called more times than items were put.
   */
  taskDone(): void {
    if (!this.#ring.taskDone()) throw new ValueError('taskDone() called too many times');
  }

  /**
   * Waits until every item ever put has been matched by a `taskDone()` call.
   * @returns (resolves to) true; false when `timeout` passed first.
   * @throws (rejects) `signal.reason` on abort.
   */
  async join(options: JoinOptions = {}): Promise<boolean> {
    checkTimeout(options.timeout);
    return this.#ring.joinAsync(options.timeout, options.signal);
  }

  /**
   * Blocking twin of `join`.
   * @returns true; false when `timeout` passed first.
   */
  joinSync(options: JoinOptions = {}): boolean {
    checkTimeout(options.timeout);
    return this.#ring.joinSync(options.timeout);
  }

  /** Yields items as `get` returns them, until the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const outcome = await this.#ring.takeAsync(WAIT_FOREVER, takeItem);
      if (outcome === TAKE_CLOSED) return;
      yield this.#item(outcome);
    }
  }
}

function maxsizeOf(options: QueueOptions | number): number {
  const maxsize = typeof options === 'number' ? options : (options.maxsize ?? 0);
  if (!Number.isFinite(maxsize) || Math.floor(maxsize) !== maxsize) {
    throw new ValueError(`maxsize must be an integer, got ${maxsize}`);
  }
  if (maxsize > 0x7fffffff) throw new ValueError(`maxsize must be at most ${0x7fffffff}, got ${maxsize}`);
  return Math.max(maxsize, 0);
}

function raisePut(outcome: PushOutcome): void {
  if (outcome === FULL) throw new Full();
  if (outcome === CLOSED) throw new QueueClosed('put on a closed queue');
}
