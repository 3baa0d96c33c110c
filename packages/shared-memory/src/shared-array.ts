/**
 * RawSharedArray and SharedArray: a fixed-length shared array of one typecode, Python's
 * `multiprocessing.RawArray` / `Array` (named SharedArray so as not to shadow JavaScript's Array).
 *
 * Shared memory (SharedArrayBuffer of length * itemsize bytes, at least 8):
 *
 *   bytes [i*itemsize, (i+1)*itemsize)   element i, in the typecode's typed array
 *
 * `.array` is that typed array itself: the fastest access, with JavaScript's typed-array rules (an
 * out-of-range integer wraps, as with ctypes). `get`/`set`/`toArray` check indices, types and ranges
 * as Python's array does; integer elements go through Atomics there, so they never read torn.
 */
import type { Lock, RLock } from '@weft/lock';
import { IndexError, ValueError } from './errors.js';
import { registerKind } from './handle-kinds.js';
import {
  type LockInHandle,
  type LockOption,
  lockFromHandle,
  lockToHandle,
  resolveLock,
  underLock,
} from './synchronized.js';
import {
  checkElement,
  type ElementOf,
  type Typecode,
  type TypedArrayOf,
  typecodeInfo,
  viewOf,
} from './typecodes.js';

export interface SharedArrayOptions {
  /** `true` (default): a new RLock; a Lock/RLock: that one; `false`: a RawSharedArray, without `getLock()`. */
  lock?: LockOption | undefined;
}

/** What `toHandle` returns and `fromHandle` takes. */
export interface SharedArrayHandle {
  typecode: Typecode;
  buffer: SharedArrayBuffer;
  length: number;
  lock?: LockInHandle | undefined;
}

const MAX_LENGTH = 2 ** 31 - 1;

export class RawSharedArray<C extends Typecode = Typecode> {
  /** The typecode given at construction. */
  readonly typecode!: C;
  /** The typed view over the shared memory: direct, unchecked, fastest. */
  readonly array!: TypedArrayOf[C];

  /**
   * @param lengthOrValues a length (elements start at 0 / 0n) or the initial elements.
   * @throws ValueError for an unknown typecode or a bad length; TypeError / OverflowError for an
   *   element of the wrong type or out of range (naming its index).
   */
  constructor(typecode: C, lengthOrValues: number | Iterable<ElementOf<C>>) {
    const code = typecodeInfo(typecode);
    let values: ElementOf<C>[] | undefined;
    let length: number;
    if (typeof lengthOrValues === 'number') {
      if (!Number.isInteger(lengthOrValues) || lengthOrValues < 0 || lengthOrValues > MAX_LENGTH) {
        throw new ValueError(`length must be a non-negative integer, got ${lengthOrValues}`, 'ERR_LENGTH');
      }
      length = lengthOrValues;
    } else if (
      lengthOrValues !== null &&
      typeof lengthOrValues === 'object' &&
      Symbol.iterator in lengthOrValues
    ) {
      values = Array.from(lengthOrValues);
      values.forEach((value, index) => {
        checkElement(typecode, value, `element ${index}`);
      });
      length = values.length;
    } else {
      throw new TypeError('SharedArray needs a length or an iterable of initial values');
    }
    const buffer = new SharedArrayBuffer(Math.max(8, length * code.bytes));
    this.attach(typecode, buffer, length);
    if (values !== undefined) (this.array as { set(values: ArrayLike<number | bigint>): void }).set(values);
  }

  private attach(typecode: C, buffer: SharedArrayBuffer, length: number): void {
    (this as { typecode: Typecode }).typecode = typecode;
    (this as { array: TypedArrayOf[Typecode] }).array = viewOf(typecode, buffer, 0, length);
  }

  /** Rebuilds over `handle`'s memory (a SharedArray if the handle carries a lock). @throws TypeError, ValueError */
  static fromHandle<C extends Typecode>(handle: SharedArrayHandle): RawSharedArray<C> {
    if (!(handle?.buffer instanceof SharedArrayBuffer)) throw new TypeError('not a SharedArray handle');
    const code = typecodeInfo(handle.typecode);
    if (!Number.isInteger(handle.length) || handle.length * code.bytes > handle.buffer.byteLength) {
      throw new TypeError('not a SharedArray handle: length does not fit the buffer');
    }
    const prototype =
      handle.lock === undefined ? RawSharedArray.prototype : SynchronizedSharedArray.prototype;
    const array = Object.create(prototype) as RawSharedArray<C>;
    array.attach(handle.typecode as C, handle.buffer, handle.length);
    if (handle.lock !== undefined)
      (array as unknown as { lock: Lock | RLock }).lock = lockFromHandle(handle.lock);
    return array;
  }

  /** The shared memory (and lock), for `fromHandle` in another thread. */
  toHandle(): SharedArrayHandle {
    return {
      typecode: this.typecode,
      buffer: this.array.buffer as SharedArrayBuffer,
      length: this.array.length,
    };
  }

  /** Number of elements. */
  get length(): number {
    return this.array.length;
  }

  private checkIndex(index: number): number {
    const length = this.array.length;
    if (!Number.isInteger(index) || index < -length || index >= length) {
      throw new IndexError(`array index ${String(index)} out of range (length ${length})`);
    }
    return index < 0 ? length + index : index;
  }

  /** Element `index` (negative counts from the end, as Python). @throws IndexError */
  get(index: number): ElementOf<C> {
    const at = this.checkIndex(index);
    if (typecodeInfo(this.typecode).atomic) return Atomics.load(this.array as Int32Array, at) as ElementOf<C>;
    return this.array[at] as ElementOf<C>;
  }

  /** Sets element `index`. @throws IndexError; TypeError / OverflowError as the constructor. */
  set(index: number, value: ElementOf<C>): void {
    const at = this.checkIndex(index);
    checkElement(this.typecode, value);
    if (typecodeInfo(this.typecode).atomic) Atomics.store(this.array as Int32Array, at, value as number);
    else (this.array as Float64Array)[at] = value as number;
  }

  /** A copy of the elements as a plain array (Python's `arr[:]`). */
  toArray(): ElementOf<C>[] {
    return Array.from(this.array as unknown as ArrayLike<ElementOf<C>>);
  }

  [Symbol.iterator](): IterableIterator<ElementOf<C>> {
    return this.toArray()[Symbol.iterator]();
  }
}

/**
 * A SharedArray with a lock (Python's synchronized array). `new SharedArray(...)` is this, unless
 * `lock: false`, which gives a RawSharedArray (no `getLock()`), as in Python.
 */
export class SynchronizedSharedArray<C extends Typecode = Typecode> extends RawSharedArray<C> {
  private lock!: Lock | RLock;

  /** @throws as RawSharedArray; TypeError for a bad `lock` option. */
  constructor(
    typecode: C,
    lengthOrValues: number | Iterable<ElementOf<C>>,
    options: SharedArrayOptions = {},
  ) {
    super(typecode, lengthOrValues);
    const lock = resolveLock(options.lock);
    if (lock === undefined) {
      throw new TypeError(
        'a SynchronizedSharedArray needs a lock: use RawSharedArray (or SharedArray) for lock: false',
      );
    }
    this.lock = lock;
  }

  /** The lock that guards this array: hold it around multi-element updates. */
  getLock(): Lock | RLock {
    return this.lock;
  }

  override toHandle(): SharedArrayHandle {
    return { ...super.toHandle(), lock: lockToHandle(this.lock) };
  }

  /** A consistent copy: taken holding the lock (unless this thread holds it already). */
  override toArray(): ElementOf<C>[] {
    return underLock(this.lock, () => super.toArray());
  }
}

/** How `new SharedArray(...)` is typed: `lock: false` gives a RawSharedArray, anything else a synchronized one. */
export interface SharedArrayConstructor {
  new <C extends Typecode>(
    typecode: C,
    lengthOrValues: number | Iterable<ElementOf<C>>,
    options: SharedArrayOptions & { lock: false },
  ): RawSharedArray<C>;
  new <C extends Typecode>(
    typecode: C,
    lengthOrValues: number | Iterable<ElementOf<C>>,
    options?: SharedArrayOptions & { lock?: true | Lock | RLock | undefined },
  ): SynchronizedSharedArray<C>;
  new <C extends Typecode>(
    typecode: C,
    lengthOrValues: number | Iterable<ElementOf<C>>,
    options?: SharedArrayOptions,
  ): RawSharedArray<C>;
  readonly prototype: SynchronizedSharedArray;
  fromHandle<C extends Typecode>(handle: SharedArrayHandle): RawSharedArray<C>;
}

/**
 * Python's `multiprocessing.Array`: `new SharedArray(...)` gives a SynchronizedSharedArray, or with
 * `lock: false` a RawSharedArray (no `getLock()`), as Python's `Array(lock=False)` returns the raw object.
 */
export const SharedArray = function SharedArray(
  typecode: Typecode,
  lengthOrValues: number | Iterable<number | bigint>,
  options: SharedArrayOptions = {},
): RawSharedArray {
  if (options?.lock === false) return new RawSharedArray(typecode, lengthOrValues as Iterable<number>);
  return new SynchronizedSharedArray(typecode, lengthOrValues as Iterable<number>, options);
} as unknown as SharedArrayConstructor;
(SharedArray as unknown as { prototype: object }).prototype = SynchronizedSharedArray.prototype;
(SharedArray as unknown as { fromHandle: unknown }).fromHandle = RawSharedArray.fromHandle;
/** The instance type of `new SharedArray(...)`. */
export type SharedArray<C extends Typecode = Typecode> = SynchronizedSharedArray<C>;

const kind = {
  toHandle: (array: RawSharedArray) => array.toHandle(),
  fromHandle: (handle: SharedArrayHandle) => RawSharedArray.fromHandle(handle),
};
registerKind<RawSharedArray, SharedArrayHandle>({
  name: '@weft/shared-memory#RawSharedArray',
  type: RawSharedArray,
  ...kind,
});
registerKind<RawSharedArray, SharedArrayHandle>({
  name: '@weft/shared-memory#SharedArray',
  type: SynchronizedSharedArray,
  ...kind,
});
