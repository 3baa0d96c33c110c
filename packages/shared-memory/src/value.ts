/**
 * RawValue and Value: one shared number (or a fixed-capacity UTF-8 string), Python's
 * `multiprocessing.RawValue` / `Value`.
 *
 * Shared memory, numeric typecodes (SharedArrayBuffer of 8 bytes):
 *
 *   bytes [0, itemsize)    the value, in the typecode's typed array (typecodes.ts)
 *
 * Shared memory, 'str' (SharedArrayBuffer of 4 + maxBytes bytes):
 *
 *   Int32 [0]              length in bytes of the UTF-8 text
 *   bytes [4, 4+maxBytes)  the UTF-8 text
 *
 * Integer values are read and written with Atomics (never torn); floats with plain aligned accesses.
 * A 'str' write is several stores: a Value takes its lock around each read and write (as Python's
 * synchronized wrapper does), a RawValue does not.
 */
import type { Lock, RLock } from '@weft/lock';
import { ValueError } from './errors.js';
import { registerKind } from './handle-kinds.js';
import {
  type LockInHandle,
  type LockOption,
  lockFromHandle,
  lockToHandle,
  resolveLock,
  underLock,
} from './synchronized.js';
import { checkElement, type ElementOf, type Typecode, typecodeInfo, viewOf } from './typecodes.js';

/** A Value's typecode: Python's array typecodes, or 'str' for a fixed-capacity UTF-8 string. */
export type ValueTypecode = Typecode | 'str';
/** What `.value` reads and writes for a typecode. */
export type ValueOf<C extends ValueTypecode> = C extends 'str'
  ? string
  : C extends Typecode
    ? ElementOf<C>
    : never;

export interface RawValueOptions {
  /** 'str' only: capacity in UTF-8 bytes (default: the initial text's length, at least 64). */
  maxBytes?: number | undefined;
}

export interface ValueOptions extends RawValueOptions {
  /** `true` (default): a new RLock; a Lock/RLock: that one; `false`: a RawValue, without `getLock()`. */
  lock?: LockOption | undefined;
}

/** What `toHandle` returns and `fromHandle` takes. */
export interface ValueHandle {
  typecode: ValueTypecode;
  buffer: SharedArrayBuffer;
  lock?: LockInHandle | undefined;
}

const STR_HEADER = 4;
const DEFAULT_STR_BYTES = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Storage {
  typecode: ValueTypecode;
  buffer: SharedArrayBuffer;
}

function allocate(typecode: unknown, initial: unknown, options: RawValueOptions): Storage {
  if (typecode === 'str') {
    if (initial !== undefined && typeof initial !== 'string') {
      throw new TypeError(`Value('str') needs a string, got ${typeof initial}`);
    }
    const text = initial ?? '';
    const needed = encoder.encode(text).byteLength;
    const maxBytes = options.maxBytes ?? Math.max(DEFAULT_STR_BYTES, needed);
    if (!Number.isInteger(maxBytes) || maxBytes < 0) {
      throw new ValueError(
        `maxBytes must be a non-negative integer, got ${String(maxBytes)}`,
        'ERR_MAX_BYTES',
      );
    }
    return { typecode: 'str', buffer: new SharedArrayBuffer(STR_HEADER + maxBytes) };
  }
  typecodeInfo(typecode);
  if (options.maxBytes !== undefined)
    throw new ValueError("maxBytes applies only to Value('str')", 'ERR_MAX_BYTES');
  return { typecode: typecode as Typecode, buffer: new SharedArrayBuffer(8) };
}

export class RawValue<C extends ValueTypecode = ValueTypecode> {
  /** The typecode given at construction. */
  readonly typecode!: C;
  /** @internal */ protected buffer!: SharedArrayBuffer;
  // Cached per object: `value` is the hot path of every counter loop.
  private cell: Int32Array | Float64Array | undefined;
  private kind!: 'int' | 'bigint' | 'float' | 'str';
  private min: number | bigint = 0;
  private max: number | bigint = 0;
  private text: Int32Array | undefined;
  private bytes: Uint8Array | undefined;

  /**
   * @param initial the starting value (default 0, 0n or '').
   * @throws ValueError for an unknown typecode or bad maxBytes (or a string longer than maxBytes);
   *   TypeError for a value of the wrong type; OverflowError for an integer out of range.
   */
  constructor(typecode: C, initial?: ValueOf<C>, options: RawValueOptions = {}) {
    const storage = allocate(typecode, initial, options);
    this.attach(storage);
    if (initial !== undefined) this.write(initial);
  }

  /** @internal */
  protected attach(storage: Storage): void {
    (this as { typecode: ValueTypecode }).typecode = storage.typecode;
    this.buffer = storage.buffer;
    if (storage.typecode === 'str') {
      this.kind = 'str';
      this.text = new Int32Array(storage.buffer, 0, 1);
      this.bytes = new Uint8Array(storage.buffer, STR_HEADER);
    } else {
      const code = typecodeInfo(storage.typecode);
      this.kind = code.kind;
      this.min = code.min;
      this.max = code.max;
      // Typed loosely: Atomics and indexing behave alike on every integer view; floats are never atomic.
      this.cell = viewOf(storage.typecode, storage.buffer, 0, 1) as unknown as Int32Array;
    }
  }

  /** Rebuilds over `handle`'s memory (a Value if the handle carries a lock). @throws TypeError, ValueError */
  static fromHandle<C extends ValueTypecode>(handle: ValueHandle): RawValue<C> {
    if (!(handle?.buffer instanceof SharedArrayBuffer)) throw new TypeError('not a Value handle');
    const prototype = handle.lock === undefined ? RawValue.prototype : synchronizedPrototype();
    const value = Object.create(prototype) as RawValue<C>;
    if (handle.typecode !== 'str') typecodeInfo(handle.typecode);
    value.attach({ typecode: handle.typecode, buffer: handle.buffer });
    if (handle.lock !== undefined)
      (value as unknown as { lock: Lock | RLock }).lock = lockFromHandle(handle.lock);
    return value;
  }

  /** The shared memory (and lock), for `fromHandle` in another thread. */
  toHandle(): ValueHandle {
    return { typecode: this.typecode, buffer: this.buffer };
  }

  /** 'str' only: the capacity in UTF-8 bytes. */
  get maxBytes(): number | undefined {
    return this.bytes?.byteLength;
  }

  /** The current value. Integers never read torn. */
  get value(): ValueOf<C> {
    return this.read();
  }

  /**
   * @throws TypeError for a value of the wrong type; OverflowError for an integer out of range;
   *   ValueError for a string longer than `maxBytes` (nothing is written).
   */
  set value(value: ValueOf<C>) {
    this.write(value);
  }

  /** @internal */
  protected read(): ValueOf<C> {
    const kind = this.kind;
    if (kind === 'int' || kind === 'bigint') return Atomics.load(this.cell as Int32Array, 0) as ValueOf<C>;
    if (kind === 'float') return this.cell![0] as ValueOf<C>;
    const length = Atomics.load(this.text!, 0);
    // Slicing first copies the bytes, so a concurrent writer cannot change them mid-decode.
    return decoder.decode(this.bytes!.slice(0, length)) as ValueOf<C>;
  }

  /** @internal */
  protected write(value: ValueOf<C>): void {
    const kind = this.kind;
    if (kind === 'int') {
      if (typeof value === 'number' && value >= this.min && value <= this.max && Number.isInteger(value)) {
        Atomics.store(this.cell as Int32Array, 0, value);
        return;
      }
    } else if (kind === 'float') {
      if (typeof value === 'number') {
        this.cell![0] = value;
        return;
      }
    } else if (kind === 'bigint') {
      if (typeof value === 'bigint' && value >= this.min && value <= this.max) {
        Atomics.store(this.cell as unknown as BigInt64Array, 0, value);
        return;
      }
    } else {
      this.writeText(value);
      return;
    }
    checkElement(this.typecode as Typecode, value); // throws the precise error
  }

  private writeText(value: unknown): void {
    if (typeof value !== 'string') throw new TypeError(`Value('str') needs a string, got ${typeof value}`);
    const encoded = encoder.encode(value);
    const bytes = this.bytes!;
    if (encoded.byteLength > bytes.byteLength) {
      throw new ValueError(
        `the string needs ${encoded.byteLength} UTF-8 bytes but this Value holds at most ${bytes.byteLength} (maxBytes)`,
        'ERR_CAPACITY',
      );
    }
    bytes.set(encoded);
    Atomics.store(this.text!, 0, encoded.byteLength);
  }

  toString(): string {
    return `${this.constructor.name}('${this.typecode}', ${JSON.stringify(typeof this.value === 'bigint' ? `${this.value}n` : this.value)})`;
  }
}

/**
 * A Value with a lock (Python's synchronized wrapper). `new Value(...)` is this, unless `lock: false`,
 * which gives a RawValue (no `getLock()`), as in Python.
 */
export class SynchronizedValue<C extends ValueTypecode = ValueTypecode> extends RawValue<C> {
  private lock!: Lock | RLock;

  /** @throws as RawValue; TypeError for a bad `lock` option. */
  constructor(typecode: C, initial?: ValueOf<C>, options: ValueOptions = {}) {
    super(typecode, initial, { maxBytes: options.maxBytes });
    const lock = resolveLock(options.lock);
    if (lock === undefined)
      throw new TypeError('a SynchronizedValue needs a lock: use RawValue (or Value) for lock: false');
    this.lock = lock;
  }

  /** The lock that guards this value: use it around read-modify-write (`v.value += 1`). */
  getLock(): Lock | RLock {
    return this.lock;
  }

  override toHandle(): ValueHandle {
    return { ...super.toHandle(), lock: lockToHandle(this.lock) };
  }

  protected override read(): ValueOf<C> {
    if (this.typecode !== 'str') return super.read();
    return underLock(this.lock, () => super.read());
  }

  protected override write(value: ValueOf<C>): void {
    // `lock` is still unset while the constructor writes the initial value.
    if (this.typecode !== 'str' || this.lock === undefined) {
      super.write(value);
      return;
    }
    underLock(this.lock, () => super.write(value));
  }
}

function synchronizedPrototype(): object {
  return SynchronizedValue.prototype;
}

/** How `new Value(...)` is typed: `lock: false` gives a RawValue, anything else a SynchronizedValue. */
export interface ValueConstructor {
  new <C extends ValueTypecode>(
    typecode: C,
    initial: ValueOf<C> | undefined,
    options: ValueOptions & { lock: false },
  ): RawValue<C>;
  new <C extends ValueTypecode>(
    typecode: C,
    initial?: ValueOf<C>,
    options?: ValueOptions & { lock?: true | Lock | RLock | undefined },
  ): SynchronizedValue<C>;
  new <C extends ValueTypecode>(typecode: C, initial?: ValueOf<C>, options?: ValueOptions): RawValue<C>;
  readonly prototype: SynchronizedValue;
  fromHandle<C extends ValueTypecode>(handle: ValueHandle): RawValue<C>;
}

/**
 * Python's `multiprocessing.Value`: `new Value(...)` gives a SynchronizedValue, or with `lock: false`
 * a RawValue (no `getLock()`), as Python's `Value(lock=False)` returns the raw object.
 */
export const Value = function Value(
  typecode: ValueTypecode,
  initial?: ValueOf<ValueTypecode>,
  options: ValueOptions = {},
): RawValue {
  if (options?.lock === false) return new RawValue(typecode, initial, { maxBytes: options.maxBytes });
  return new SynchronizedValue(typecode, initial, options);
} as unknown as ValueConstructor;
(Value as unknown as { prototype: object }).prototype = SynchronizedValue.prototype;
(Value as unknown as { fromHandle: unknown }).fromHandle = RawValue.fromHandle;
/** The instance type of `new Value(...)`. */
export type Value<C extends ValueTypecode = ValueTypecode> = SynchronizedValue<C>;

const kind = {
  toHandle: (value: RawValue) => value.toHandle(),
  fromHandle: (handle: ValueHandle) => RawValue.fromHandle(handle),
};
registerKind<RawValue, ValueHandle>({ name: '@weft/shared-memory#RawValue', type: RawValue, ...kind });
registerKind<RawValue, ValueHandle>({ name: '@weft/shared-memory#Value', type: SynchronizedValue, ...kind });
