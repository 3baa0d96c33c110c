/**
 * The containers a Manager serves: dict, list, Namespace, Value, Array. They hold plain data in the
 * server thread; every proxy call copies its arguments in and its result out. So, as in Python, a
 * nested value changed in place on the client side is NOT written back: `(await d.get('k')).push(1)`
 * changes a local copy; write it back with `d.set('k', value)`.
 */
import { TAKES_CONTEXT } from './call-context.js';
import { ValueError } from './served-sync.js';

/** Python's KeyError / IndexError. */
export class KeyError extends Error {
  override name = 'KeyError';
}

export class IndexError extends Error {
  override name = 'IndexError';
}

export class ServedDict {
  static readonly [TAKES_CONTEXT] = false;
  private readonly map: Map<unknown, unknown>;

  constructor(init?: Iterable<readonly [unknown, unknown]> | Record<string, unknown>) {
    this.map = new Map(init === undefined ? [] : isIterable(init) ? init : Object.entries(init));
  }

  /** The value for `key`, or `defaultValue` (undefined) if absent. */
  get(key: unknown, defaultValue?: unknown): unknown {
    return this.map.has(key) ? this.map.get(key) : defaultValue;
  }

  set(key: unknown, value: unknown): void {
    this.map.set(key, value);
  }

  /** Removes `key`; true if it was there. */
  delete(key: unknown): boolean {
    return this.map.delete(key);
  }

  has(key: unknown): boolean {
    return this.map.has(key);
  }

  keys(): unknown[] {
    return [...this.map.keys()];
  }

  values(): unknown[] {
    return [...this.map.values()];
  }

  items(): Array<[unknown, unknown]> {
    return [...this.map.entries()];
  }

  size(): number {
    return this.map.size;
  }

  /** A plain object of the entries (keys converted to strings). */
  toObject(): Record<string, unknown> {
    return Object.fromEntries(this.map);
  }

  clear(): void {
    this.map.clear();
  }

  /** Sets every entry of `entries` (an object or [key, value] pairs). */
  update(entries: Iterable<readonly [unknown, unknown]> | Record<string, unknown>): void {
    for (const [key, value] of isIterable(entries) ? entries : Object.entries(entries))
      this.map.set(key, value);
  }

  /** Removes `key` and returns its value. @throws KeyError if absent and no default is given. */
  pop(key: unknown, ...defaultValue: [unknown?]): unknown {
    if (this.map.has(key)) {
      const value = this.map.get(key);
      this.map.delete(key);
      return value;
    }
    if (defaultValue.length > 0) return defaultValue[0];
    throw new KeyError(String(key));
  }

  /** The value for `key`; if absent, stores `defaultValue` and returns it (Python's setdefault). */
  setDefault(key: unknown, defaultValue?: unknown): unknown {
    if (!this.map.has(key)) this.map.set(key, defaultValue);
    return this.map.get(key);
  }
}

export class ServedList {
  static readonly [TAKES_CONTEXT] = false;
  protected readonly items: unknown[];

  constructor(init?: Iterable<unknown>) {
    this.items = init === undefined ? [] : [...init];
  }

  /** Item at `index` (negative counts from the end). @throws IndexError out of range. */
  get(index: number): unknown {
    return this.items[this.position(index)];
  }

  set(index: number, value: unknown): void {
    this.items[this.position(index)] = value;
  }

  append(value: unknown): void {
    this.items.push(value);
  }

  extend(values: Iterable<unknown>): void {
    for (const value of values) this.items.push(value);
  }

  length(): number {
    return this.items.length;
  }

  toArray(): unknown[] {
    return this.items.slice();
  }

  /** Removes and returns the item at `index` (default: the last). @throws IndexError. */
  pop(index = -1): unknown {
    const at = this.position(index);
    return this.items.splice(at, 1)[0];
  }

  insert(index: number, value: unknown): void {
    const at = index < 0 ? Math.max(0, this.items.length + index) : Math.min(index, this.items.length);
    this.items.splice(at, 0, value);
  }

  /** Position of the first item equal (===) to `value`. @throws ValueError if absent. */
  index(value: unknown): number {
    const at = this.items.indexOf(value);
    if (at < 0) throw new ValueError(`${String(value)} is not in list`);
    return at;
  }

  /** Removes the first item equal (===) to `value`. @throws ValueError if absent. */
  remove(value: unknown): void {
    this.items.splice(this.index(value), 1);
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Items `start` .. `end` (like Array.prototype.slice). */
  slice(start?: number, end?: number): unknown[] {
    return this.items.slice(start, end);
  }

  protected position(index: number): number {
    if (!Number.isInteger(index)) throw new TypeError('list indices must be integers');
    const at = index < 0 ? this.items.length + index : index;
    if (at < 0 || at >= this.items.length) throw new IndexError('list index out of range');
    return at;
  }
}

export class ServedNamespace {
  static readonly [TAKES_CONTEXT] = false;
  private readonly attributes: Map<string, unknown>;

  constructor(init?: Record<string, unknown>) {
    this.attributes = new Map(Object.entries(init ?? {}));
  }

  /** The attribute's value. @throws AttributeError if it was never set. */
  get(name: string): unknown {
    if (!this.attributes.has(name)) throw new AttributeError(`'Namespace' object has no attribute '${name}'`);
    return this.attributes.get(name);
  }

  set(name: string, value: unknown): void {
    if (typeof name !== 'string') throw new TypeError('attribute names are strings');
    this.attributes.set(name, value);
  }

  delete(name: string): boolean {
    return this.attributes.delete(name);
  }

  has(name: string): boolean {
    return this.attributes.has(name);
  }

  toObject(): Record<string, unknown> {
    return Object.fromEntries(this.attributes);
  }
}

export class AttributeError extends Error {
  override name = 'AttributeError';
}

export class ServedValue {
  static readonly [TAKES_CONTEXT] = false;

  constructor(
    readonly typecode: string,
    private value: unknown,
  ) {}

  get(): unknown {
    return this.value;
  }

  set(value: unknown): void {
    this.value = value;
  }

  getTypecode(): string {
    return this.typecode;
  }
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  b: [-128, 127],
  B: [0, 255],
  h: [-32768, 32767],
  H: [0, 65535],
  i: [-(2 ** 31), 2 ** 31 - 1],
  I: [0, 2 ** 32 - 1],
  l: [-(2 ** 31), 2 ** 31 - 1],
  L: [0, 2 ** 32 - 1],
  q: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  Q: [0, Number.MAX_SAFE_INTEGER],
};

/** A fixed-length typed sequence (Python's manager Array: an array.array behind an ArrayProxy). */
export class ServedArray extends ServedList {
  constructor(
    readonly typecode: string,
    values: Iterable<number> | number,
  ) {
    if (!(typecode in INTEGER_RANGES) && typecode !== 'f' && typecode !== 'd') {
      throw new ValueError(
        `bad typecode ${JSON.stringify(typecode)} (must be b, B, h, H, i, I, l, L, q, Q, f or d)`,
      );
    }
    super(typeof values === 'number' ? new Array<number>(values).fill(0) : values);
    for (const value of this.items) checkNumber(typecode, value);
  }

  override set(index: number, value: unknown): void {
    checkNumber(this.typecode, value);
    super.set(index, value);
  }

  override append(): void {
    throw new TypeError('a manager Array has a fixed length');
  }

  override extend(): void {
    throw new TypeError('a manager Array has a fixed length');
  }

  override pop(): unknown {
    throw new TypeError('a manager Array has a fixed length');
  }

  override insert(): void {
    throw new TypeError('a manager Array has a fixed length');
  }

  override remove(): void {
    throw new TypeError('a manager Array has a fixed length');
  }

  override clear(): void {
    throw new TypeError('a manager Array has a fixed length');
  }
}

function checkNumber(typecode: string, value: unknown): void {
  if (typeof value !== 'number') throw new TypeError(`array item must be a number, got ${typeof value}`);
  const range = INTEGER_RANGES[typecode];
  if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
    throw new TypeError(`${value} does not fit typecode '${typecode}'`);
  }
}

function isIterable<T>(value: unknown): value is Iterable<T> {
  return typeof (value as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] === 'function';
}
