/**
 * Futures that cross to workers: a task can be given another task's future and wait on it.
 *
 * A Future is a @weft/codec handle kind. The first time one is encoded, its owner (the thread whose
 * executor completes it) gives it a cell of shared memory and mirrors every state change into it;
 * the thread that decodes it gets a RemoteFuture over the same cell, which follows the cell (async
 * waits park with `waitAsync`, `resultSync` blocks with the shim's `wait`).
 *
 * Cell (Int32Array over a growable SharedArrayBuffer, so a large outcome grows it in place for
 * every thread that holds it):
 *   word 0  STATE  0 PENDING, 1 RUNNING, 2 CANCELLED, 3 FINISHED with a value, 4 FINISHED with an
 *                  error; written by the owner after the outcome bytes, then notified
 *   word 1  SIZE   byte length of the outcome
 *   word 2  TASK   the pool's id of the future's task (0: not known), for deadlock detection
 *   word 3  (unused)
 *   byte 16 …      codec bytes of the outcome: the value, or a description of the error
 *
 * Deadlock detection (the notes' p16: task a waits on b's future while b waits on a's). Each
 * executor has a wait table shared by all its futures' cells:
 *   word 0          capacity N
 *   word 1 + 2i     WAITER  the pool task id of a task that is waiting on a future (0: entry free)
 *   word 2 + 2i     WAITED  the task id of the future it waits on
 * Before waiting, a task publishes its entry and then follows the chain WAITED → entry whose WAITER
 * is that task → its WAITED …; reaching itself means a cycle, and the wait throws DeadlockError.
 * Atomics are sequentially consistent, so of two tasks closing a cycle at the same moment at least
 * one sees the other's entry (both may, and then both fail). It needs the pool's task ids on both
 * sides; where the pool does not tell them, waits are plain waits (use a timeout).
 */
import { notify, waitAsync, wait as waitSync } from '@weft/atomics-sync-shim';
import { decode, encode, registerHandleKind } from '@weft/codec';
import { currentTaskId } from '@weft/pool';
import {
  BrokenExecutor,
  BrokenProcessPool,
  BrokenThreadPool,
  CancelledError,
  DeadlockError,
  InvalidStateError,
  TimeoutError,
} from './errors.js';
import {
  Future,
  kBlockUntilDone,
  kCell,
  kOnSettle,
  kOnStateChange,
  kStartWatching,
  kTaskId,
  kWaitTable,
} from './future.js';

const STATE = 0;
const SIZE = 1;
const TASK = 2;
const HEADER_BYTES = 16;
/** Largest outcome a crossing future can carry (address space is reserved, not memory). */
const MAX_CELL_BYTES = 64 * 1024 * 1024;

/** Growable SharedArrayBuffer (ES2024; in Node 20) — the lib this package compiles against predates it. */
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newLength: number): void;
}
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (
  length: number,
  options: { maxByteLength: number },
) => GrowableSharedArrayBuffer;

const PENDING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const FINISHED_VALUE = 3;
const FINISHED_ERROR = 4;

const TABLE_CAPACITY = 64;

interface FutureHandle {
  cell: SharedArrayBuffer;
  table: SharedArrayBuffer | null;
}

/** A wait table for one executor's futures. */
export function createWaitTable(): SharedArrayBuffer {
  const table = new SharedArrayBuffer(4 * (1 + 2 * TABLE_CAPACITY));
  new Int32Array(table)[0] = TABLE_CAPACITY;
  return table;
}

/** Called by the executor at submit: the future's task, for deadlock detection. */
export function setTaskContext(
  future: Future<unknown>,
  table: SharedArrayBuffer,
  taskId: number | undefined,
): void {
  if (taskId === undefined || taskId === 0) return;
  future[kWaitTable] = table;
  future[kTaskId] = taskId;
  const cell = future[kCell];
  if (cell) Atomics.store(new Int32Array(cell, 0, 4), TASK, taskId);
}

function cellOf(future: Future<unknown>): SharedArrayBuffer {
  const existing = future[kCell];
  if (existing) return existing;
  const cell = new GrowableSharedArrayBuffer(HEADER_BYTES, { maxByteLength: MAX_CELL_BYTES });
  future[kCell] = cell;
  const i32 = new Int32Array(cell, 0, 4);
  Atomics.store(i32, TASK, future[kTaskId]);
  const mirror = () => publish(cell, future);
  mirror();
  if (!future.done()) {
    future[kOnStateChange](mirror);
    future[kOnSettle](mirror);
  }
  return cell;
}

/** Writes the future's state (and outcome, once done) into its cell, then wakes the waiters. */
function publish(cell: SharedArrayBuffer, future: Future<unknown>): void {
  const i32 = new Int32Array(cell, 0, 4);
  if (Atomics.load(i32, STATE) >= CANCELLED) return;
  let state: number;
  let bytes: Uint8Array | undefined;
  if (future.cancelled()) state = CANCELLED;
  else if (!future.done()) state = future.running() ? RUNNING : PENDING;
  else {
    try {
      bytes = encode(future.resultSync());
      state = FINISHED_VALUE;
    } catch (error) {
      bytes = encode(describeError(error));
      state = FINISHED_ERROR;
    }
    if (HEADER_BYTES + bytes.byteLength > MAX_CELL_BYTES) {
      bytes = encode(
        describeError(
          new RangeError(`the outcome of ${future} is too large to cross (${bytes.byteLength} bytes)`),
        ),
      );
      state = FINISHED_ERROR;
    }
    // Whole words: an Int32Array over a growable buffer needs a length that is a multiple of 4.
    const needed = HEADER_BYTES + Math.ceil(bytes.byteLength / 4) * 4;
    if (cell.byteLength < needed) (cell as GrowableSharedArrayBuffer).grow(needed);
    new Uint8Array(cell, HEADER_BYTES, bytes.byteLength).set(bytes);
    Atomics.store(i32, SIZE, bytes.byteLength);
  }
  if (Atomics.load(i32, STATE) === state) return;
  Atomics.store(i32, STATE, state);
  notify(i32, STATE);
}

interface ErrorDescription {
  name: string;
  message: string;
  stack: string;
}

function describeError(error: unknown): ErrorDescription {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? '' };
  return { name: 'Error', message: `a non-Error value was thrown: ${String(error)}`, stack: '' };
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  CancelledError,
  TimeoutError,
  InvalidStateError,
  DeadlockError,
  BrokenExecutor,
  BrokenThreadPool,
  BrokenProcessPool,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
};

function rebuildError(description: ErrorDescription): Error {
  const Class = ERROR_CLASSES[description.name] ?? Error;
  const error = new Class(description.message);
  if (error.name !== description.name) {
    Object.defineProperty(error, 'name', { value: description.name, configurable: true, writable: true });
  }
  if (description.stack) error.stack = description.stack;
  return error;
}

/**
 * A future received from another thread: a read-only view that follows the owner's cell.
 * `cancel()` does not cancel (only the owner's executor can withdraw the task): it reports whether
 * the future is cancelled.
 */
class RemoteFuture<T> extends Future<T> {
  readonly #cell: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #table: SharedArrayBuffer | null;
  #watching = false;
  /** True while #follow moves the state machine (its transitions call back into done()). */
  #following = false;

  constructor(handle: FutureHandle) {
    super();
    this.#cell = handle.cell;
    this.#i32 = new Int32Array(handle.cell, 0, 4);
    this.#table = handle.table;
    this[kCell] = handle.cell;
    if (handle.table) {
      this[kWaitTable] = handle.table;
      this[kTaskId] = Atomics.load(this.#i32, TASK);
    }
    this.#follow();
  }

  override get state() {
    this.#follow();
    return super.state;
  }

  override done(): boolean {
    if (!super.done()) this.#follow();
    return super.done();
  }

  override running(): boolean {
    this.#follow();
    return super.running();
  }

  override cancelled(): boolean {
    this.#follow();
    return super.cancelled();
  }

  override cancel(): boolean {
    return this.cancelled();
  }

  override setResult(): void {
    throw new InvalidStateError(`${this} was received from another thread: only its owner completes it`);
  }

  override setException(): void {
    throw new InvalidStateError(`${this} was received from another thread: only its owner completes it`);
  }

  /** Brings the local state machine up to the cell's state. */
  #follow(): void {
    if (this.#following) return;
    const state = Atomics.load(this.#i32, STATE);
    if (state === PENDING || super.done()) return;
    this.#following = true;
    try {
      this.#apply(state);
    } finally {
      this.#following = false;
    }
  }

  #apply(state: number): void {
    if (state === RUNNING) {
      if (super.state === 'PENDING') super.setRunningOrNotifyCancel();
      return;
    }
    if (state === CANCELLED) {
      super.cancel();
      return;
    }
    const size = Atomics.load(this.#i32, SIZE);
    const outcome = decode(new Uint8Array(this.#cell, HEADER_BYTES, size).slice());
    if (state === FINISHED_VALUE) super.setResult(outcome as T);
    else super.setException(rebuildError(outcome as ErrorDescription));
  }

  /**
   * Starts following the owner's cell, then chains as a promise. The class keeps its own
   * `constructor` (see future.ts), so `await` and `Promise.all` call this rather than taking the
   * promise as it is: the cell is watched only once someone waits.
   */
  // biome-ignore lint/suspicious/noThenProperty: a Future is a promise; this view must see its awaits
  override then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this[kStartWatching]();
    return super.then(onFulfilled, onRejected);
  }

  override [kStartWatching](): void {
    if (this.#watching || super.done()) return;
    this.#watching = true;
    const seen = Atomics.load(this.#i32, STATE);
    void waitAsync(this.#i32, STATE, seen, undefined, { keepAlive: true }).then(() => {
      this.#watching = false;
      this.#follow();
      if (!super.done()) this[kStartWatching]();
    });
  }

  override [kBlockUntilDone](timeoutMs: number | undefined, method: string): void {
    const release = this.#enterWait(method);
    try {
      const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
      for (;;) {
        this.#follow();
        if (super.done()) return;
        const state = Atomics.load(this.#i32, STATE);
        const remaining = deadline === undefined ? undefined : deadline - performance.now();
        if (remaining !== undefined && remaining <= 0)
          throw new TimeoutError(`${method}(${timeoutMs}) timed out: ${this}`);
        waitSync(this.#i32, STATE, state, remaining);
      }
    } finally {
      release();
    }
  }

  override async result(timeoutMs?: number, options: { signal?: AbortSignal | undefined } = {}): Promise<T> {
    if (this.done()) return super.result();
    const release = this.#enterWait('result');
    try {
      return await super.result(timeoutMs, options);
    } finally {
      release();
    }
  }

  override async exception(
    timeoutMs?: number,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<unknown> {
    if (this.done()) return super.exception();
    const release = this.#enterWait('exception');
    try {
      return await super.exception(timeoutMs, options);
    } finally {
      release();
    }
  }

  /**
   * Publishes "the task running here waits on this future" in the wait table and looks for a
   * cycle. @returns the function that withdraws the entry. @throws DeadlockError on a cycle.
   */
  #enterWait(method: string): () => void {
    const me = currentTaskId();
    const target = Atomics.load(this.#i32, TASK);
    if (!this.#table || me === 0 || target === 0) return () => {};
    const table = new Int32Array(this.#table);
    const capacity = table[0] ?? 0;
    let entry = -1;
    for (let i = 0; i < capacity; i++) {
      if (Atomics.compareExchange(table, 1 + 2 * i, 0, me) === 0) {
        entry = i;
        break;
      }
    }
    if (entry < 0) return () => {}; // table full: wait without detection
    Atomics.store(table, 2 + 2 * entry, target);
    const release = () => {
      Atomics.store(table, 2 + 2 * entry, 0);
      Atomics.store(table, 1 + 2 * entry, 0);
    };
    let waited = target;
    for (let step = 0; step < capacity; step++) {
      if (waited === me) {
        release();
        throw new DeadlockError(
          `${method}() on ${this} would wait forever: its task waits (directly or through others) on the task that is waiting here`,
        );
      }
      let next = 0;
      for (let i = 0; i < capacity; i++) {
        if (Atomics.load(table, 1 + 2 * i) === waited) {
          next = Atomics.load(table, 2 + 2 * i);
          break;
        }
      }
      if (next === 0) break;
      waited = next;
    }
    return release;
  }
}

Object.defineProperty(RemoteFuture.prototype, 'constructor', {
  value: RemoteFuture,
  writable: true,
  configurable: true,
});

registerHandleKind<Future<unknown>, FutureHandle>({
  name: '@weft/executor#Future',
  type: Future,
  toHandle(future) {
    return { cell: cellOf(future), table: future[kWaitTable] ?? null };
  },
  fromHandle(handle) {
    return new RemoteFuture(handle);
  },
});
