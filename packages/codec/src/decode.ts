import { bufferById, REQUEST_TIMEOUT_MS } from './buffer-directory.js';
import { copyBytes, copyOfBytes } from './copy-bytes.js';
import { DecodeError } from './errors.js';
import {
  ErrorFlag,
  errorConstructors,
  MAX_RESIZABLE_BYTE_LENGTH,
  STRICT_RESERVE_ALLOWANCE,
  STRICT_SPARSE_ALLOWANCE,
  Tag,
  viewConstructors,
} from './format.js';
import { kindNamed, strictKindNamed } from './handles.js';

/** Marks an object index taken by a handle whose state is still being decoded. */
const UNDER_CONSTRUCTION: unique symbol = Symbol('under construction');
const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);

class Decoder {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  objects: unknown[] = [];
  nodeBuffer: Buffer | undefined = undefined;
  busy = false;
  bufferTimeout = REQUEST_TIMEOUT_MS;
  importKinds = true;
  /**
   * Data only (bytes from a socket): no SharedArrayBuffer ids, no handle kinds but `dataOnly` ones, no
   * imports, and claims on memory beyond the bytes received (see `claim`) bounded. Checked only in the
   * rare tags, so the common ones cost the same in both modes.
   */
  strict = false;
  /** Strict mode: elements sparse arrays may still stand for, and bytes resizable buffers may reserve. */
  sparseBudget = 0;
  reserveBudget = 0;

  fail(what: string): never {
    throw new DecodeError(`malformed bytes: ${what} at byte ${this.pos}`);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++]!;
  }

  varint(): number {
    const bytes = this.bytes;
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) this.fail('unexpected end inside a number');
      const byte = bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 53) this.fail('number too large');
    }
  }

  /** A length or count of things that each take at least `unit` bytes: checked against what is left. */
  length(unit: number): number {
    const value = this.varint();
    if (value * unit > this.end - this.pos) this.fail(`length ${value} beyond the end`);
    return value;
  }

  /**
   * Strict mode: `amount` that the value stands for without the input holding it (a sparse array's
   * length, a resizable buffer's room to grow), taken from `budget` (its remaining `left`). A peer
   * could otherwise make a few bytes reserve gigabytes, or an array whose copy fills the heap.
   * @returns what is left of the budget.
   */
  claim(amount: number, left: number, what: string): number {
    if (amount > left) this.fail(`${what} of ${amount} is more than strict decoding allows for this input`);
    return left - amount;
  }

  float(): number {
    if (this.pos + 8 > this.end) this.fail('unexpected end inside a number');
    const bytes = this.bytes;
    const at = this.pos;
    for (let i = 0; i < 8; i++) float64Bytes[i] = bytes[at + i]!;
    this.pos = at + 8;
    return float64[0]!;
  }

  uint32(): number {
    if (this.pos + 4 > this.end) this.fail('unexpected end inside an id');
    const bytes = this.bytes;
    const at = this.pos;
    this.pos += 4;
    return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
  }

  value(): unknown {
    if (this.pos >= this.end) this.fail('unexpected end');
    const tag = this.bytes[this.pos++]!;
    switch (tag) {
      case Tag.INT: {
        const zigzag = this.varint();
        if (zigzag > 0xffffffff) this.fail('integer out of range');
        return (zigzag >>> 1) ^ -(zigzag & 1);
      }
      case Tag.STRING_UTF8:
        return this.utf8();
      case Tag.NULL:
        return null;
      case Tag.UNDEFINED:
        return undefined;
      case Tag.FALSE:
        return false;
      case Tag.TRUE:
        return true;
      case Tag.FLOAT64:
        return this.float();
      case Tag.OBJECT:
        return this.plainObject();
      case Tag.ARRAY:
        return this.array();
      default:
        return this.rare(tag);
    }
  }

  utf8(): string {
    const length = this.length(1);
    const bytes = this.bytes;
    const start = this.pos;
    this.pos = start + length;
    if (length <= 8) {
      const text = shortAscii(bytes, start, length);
      if (text !== undefined) return text;
    }
    return this.buffer().utf8Slice(start, start + length);
  }

  /**
   * A property key. Short keys come from a cache indexed by a hash of their bytes: the same few keys recur
   * in every message, and a cached key is already an internalized string, which V8 stores properties
   * under without hashing it again.
   */
  key(): string {
    const bytes = this.bytes;
    const at = this.pos;
    if (at + 1 < this.end && bytes[at] === Tag.STRING_UTF8) {
      const length = bytes[at + 1]!;
      const start = at + 2;
      if (length <= MAX_CACHED_KEY && start + length <= this.end) {
        let hash = length;
        for (let i = start; i < start + length; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
        const slot = hash & (KEY_CACHE_SIZE - 1);
        const entry = keyCache[slot];
        if (entry !== undefined && entry.bytes.length === length) {
          const cached = entry.bytes;
          let same = true;
          for (let i = 0; i < length; i++) {
            if (cached[i] !== bytes[start + i]) {
              same = false;
              break;
            }
          }
          if (same) {
            this.pos = start + length;
            return entry.text;
          }
        }
        this.pos = at + 1;
        const text = this.utf8();
        keyCache[slot] = { bytes: bytes.slice(start, start + length), text };
        return text;
      }
    }
    return this.string();
  }

  /** A Buffer over the input, for Node's native string decoding. */
  buffer(): Buffer & {
    utf8Slice(start: number, end: number): string;
    ucs2Slice(start: number, end: number): string;
  } {
    if (this.nodeBuffer === undefined) {
      this.nodeBuffer = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    }
    return this.nodeBuffer as never;
  }

  string(): string {
    const tag = this.byte();
    if (tag === Tag.STRING_UTF8) return this.utf8();
    if (tag === Tag.STRING_UTF16) return this.utf16();
    this.pos--;
    return this.fail(`expected a string, found tag 0x${tag.toString(16)}`);
  }

  utf16(): string {
    const units = this.length(2);
    const start = this.pos;
    this.pos += units * 2;
    if (((this.bytes.byteOffset + start) & 1) === 0) return this.buffer().ucs2Slice(start, start + units * 2);
    let text = '';
    for (let i = 0; i < units; i++)
      text += String.fromCharCode(this.bytes[start + 2 * i]! | (this.bytes[start + 2 * i + 1]! << 8));
    return text;
  }

  plainObject(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.objects.push(object);
    this.properties(object);
    return object;
  }

  /** (string key, value) pairs until END. */
  properties(target: Record<string, unknown>): void {
    for (;;) {
      if (this.pos >= this.end) this.fail('unexpected end inside an object');
      if (this.bytes[this.pos] === Tag.END) {
        this.pos++;
        return;
      }
      const key = this.key();
      const item = this.value();
      if (key === '__proto__') {
        Object.defineProperty(target, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        target[key] = item;
      }
    }
  }

  array(): unknown[] {
    const length = this.length(1);
    const array: unknown[] = [];
    this.objects.push(array);
    for (let i = 0; i < length; i++) {
      if (this.pos < this.end && this.bytes[this.pos] === Tag.HOLE) {
        this.pos++;
        array.length = i + 1;
      } else {
        array.push(this.value());
      }
    }
    this.properties(array as unknown as Record<string, unknown>);
    return array;
  }

  rare(tag: number): unknown {
    switch (tag) {
      case Tag.BIGINT:
        return this.bigint();
      case Tag.STRING_UTF16:
        return this.utf16();
      case Tag.SPARSE_ARRAY: {
        const length = this.varint();
        if (length > 0xffffffff) this.fail('array length out of range');
        if (this.strict) this.sparseBudget = this.claim(length, this.sparseBudget, 'a sparse array length');
        const array: unknown[] = [];
        this.objects.push(array);
        array.length = length;
        this.properties(array as unknown as Record<string, unknown>);
        return array;
      }
      case Tag.DATE: {
        const date = new Date(this.float());
        this.objects.push(date);
        return date;
      }
      case Tag.REGEXP: {
        const index = this.reserve();
        const source = this.string();
        const flags = this.string();
        let regexp: RegExp;
        try {
          regexp = new RegExp(source, flags);
        } catch {
          return this.fail('invalid regular expression');
        }
        this.objects[index] = regexp;
        return regexp;
      }
      case Tag.MAP: {
        const size = this.length(2);
        const map = new Map<unknown, unknown>();
        this.objects.push(map);
        for (let i = 0; i < size; i++) {
          const key = this.value();
          map.set(key, this.value());
        }
        return map;
      }
      case Tag.SET: {
        const size = this.length(1);
        const set = new Set<unknown>();
        this.objects.push(set);
        for (let i = 0; i < size; i++) set.add(this.value());
        return set;
      }
      case Tag.ARRAY_BUFFER: {
        const length = this.length(1);
        const buffer = copyToArrayBuffer(this.bytes.subarray(this.pos, this.pos + length));
        this.pos += length;
        this.objects.push(buffer);
        return buffer;
      }
      case Tag.RESIZABLE_BUFFER: {
        const length = this.length(1);
        const maxByteLength = this.varint();
        if (maxByteLength < length) this.fail('bad maximum length');
        if (maxByteLength > MAX_RESIZABLE_BYTE_LENGTH) {
          this.fail(`maximum length ${maxByteLength} over the limit of ${MAX_RESIZABLE_BYTE_LENGTH}`);
        }
        if (this.strict) {
          this.reserveBudget = this.claim(maxByteLength - length, this.reserveBudget, 'room to grow');
        }
        let buffer: ArrayBuffer;
        try {
          buffer = new ArrayBuffer(length, { maxByteLength });
        } catch {
          return this.fail('resizable buffer cannot be allocated');
        }
        copyBytes(new Uint8Array(buffer), 0, this.bytes.subarray(this.pos, this.pos + length));
        this.pos += length;
        this.objects.push(buffer);
        return buffer;
      }
      case Tag.SHARED_BUFFER: {
        if (this.strict) {
          this.pos--;
          this.fail('a SharedArrayBuffer cannot arrive from the network (strict decoding)');
        }
        const index = this.reserve();
        const a = this.uint32();
        const b = this.uint32();
        const n = this.varint();
        const byteLength = this.varint();
        const buffer = bufferById(a, b, n, this.bufferTimeout);
        if (buffer.byteLength < byteLength) this.fail('shared buffer shorter than when it was sent');
        this.objects[index] = buffer;
        return buffer;
      }
      case Tag.VIEW:
        return this.view();
      case Tag.NODE_BUFFER: {
        const length = this.length(1);
        const buffer = Buffer.from(copyToArrayBuffer(this.bytes.subarray(this.pos, this.pos + length)));
        this.pos += length;
        this.objects.push(buffer);
        return buffer;
      }
      case Tag.BOXED_NUMBER: {
        const boxed = Object(this.float()) as object;
        this.objects.push(boxed);
        return boxed;
      }
      case Tag.BOXED_STRING: {
        const index = this.reserve();
        const boxed = Object(this.string()) as object;
        this.objects[index] = boxed;
        return boxed;
      }
      case Tag.BOXED_BOOLEAN: {
        const boxed = Object(this.byte() !== 0) as object;
        this.objects.push(boxed);
        return boxed;
      }
      case Tag.BOXED_BIGINT: {
        const index = this.reserve();
        const boxed = Object(this.bigint()) as object;
        this.objects[index] = boxed;
        return boxed;
      }
      case Tag.ERROR:
        return this.error();
      case Tag.HANDLE: {
        const index = this.reserve();
        const name = this.key(); // kind names recur like keys
        if (this.strict) {
          const handle = this.strictHandle(name);
          this.objects[index] = handle;
          return handle;
        }
        const kind = kindNamed(name, this.importKinds);
        const state = this.value();
        const handle = kind.fromHandle(state);
        this.objects[index] = handle;
        return handle;
      }
      case Tag.REF: {
        const index = this.varint();
        if (index >= this.objects.length) this.fail(`reference to object #${index} not yet seen`);
        const object = this.objects[index];
        if (object === UNDER_CONSTRUCTION) this.fail(`reference to object #${index} from inside itself`);
        return object;
      }
      default:
        this.pos--;
        return this.fail(`unknown tag 0x${tag.toString(16)}`);
    }
  }

  /**
   * Strict mode: only a kind registered in this thread as `dataOnly` (its state is plain data and
   * `fromHandle` builds nothing from it but an object: no code, no memory of ours). Anything its
   * `fromHandle` throws is the bytes' fault.
   */
  strictHandle(name: string): object {
    const kind = strictKindNamed(name);
    if (kind === undefined) {
      this.fail(`handle kind "${name}" cannot arrive from the network (strict decoding: data only)`);
    }
    const state = this.value();
    try {
      return kind.fromHandle(state);
    } catch (error) {
      return this.fail(`handle of kind "${name}" refused: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  reserve(): number {
    this.objects.push(UNDER_CONSTRUCTION);
    return this.objects.length - 1;
  }

  bigint(): bigint {
    const sign = this.byte();
    if (sign > 1) this.fail('bad bigint sign');
    const length = this.length(1);
    if (length === 0) return 0n;
    const bytes = this.bytes;
    const parts: string[] = new Array(length);
    // Most significant byte first, as hex; V8 parses hex in linear time.
    for (let i = 0; i < length; i++) parts[i] = HEX[bytes[this.pos + length - 1 - i]!]!;
    this.pos += length;
    const magnitude = BigInt(`0x${parts.join('')}`);
    return sign === 1 ? -magnitude : magnitude;
  }

  view(): ArrayBufferView {
    const index = this.reserve();
    const kind = this.byte();
    const ViewClass = viewConstructors[kind];
    if (ViewClass === undefined) this.fail(`unknown view kind ${kind}`);
    const buffer = this.value();
    if (!(buffer instanceof ArrayBuffer) && !(buffer instanceof SharedArrayBuffer)) {
      this.fail('view over something that is not a buffer');
    }
    const byteOffset = this.varint();
    const length = this.varint();
    let view: ArrayBufferView;
    try {
      view = new ViewClass(buffer, byteOffset, length);
    } catch {
      return this.fail(`view out of its buffer's bounds or misaligned`);
    }
    this.objects[index] = view;
    return view;
  }

  error(): Error {
    const flags = this.byte();
    if (flags > 7) this.fail('bad error flags');
    const name = this.string();
    const message = (flags & ErrorFlag.MESSAGE) !== 0 ? this.string() : undefined;
    const stack = (flags & ErrorFlag.STACK) !== 0 ? this.string() : undefined;
    const Constructor = Object.hasOwn(errorConstructors, name) ? errorConstructors[name]! : Error;
    const error = message === undefined ? new Constructor() : new Constructor(message);
    if (Constructor === Error && name !== 'Error') {
      Object.defineProperty(error, 'name', {
        value: name,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
    if (stack === undefined) delete error.stack;
    else
      Object.defineProperty(error, 'stack', {
        value: stack,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    this.objects.push(error);
    this.properties(error as unknown as Record<string, unknown>);
    if ((flags & ErrorFlag.CAUSE) !== 0) {
      Object.defineProperty(error, 'cause', {
        value: this.value(),
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
    return error;
  }
}

/** A new ArrayBuffer of exactly `source`'s size holding a copy of it (not zeroed first: it is overwritten). */
function copyToArrayBuffer(source: Uint8Array): ArrayBuffer {
  return copyOfBytes(source).buffer as ArrayBuffer;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const MAX_CACHED_KEY = 32;
const KEY_CACHE_SIZE = 4096;
const keyCache: ({ bytes: Uint8Array; text: string } | undefined)[] = new Array(KEY_CACHE_SIZE).fill(
  undefined,
);

/** `length` (<= 8) ASCII bytes as a string in one call, or undefined if one is not ASCII. */
function shortAscii(bytes: Uint8Array, at: number, length: number): string | undefined {
  let all = 0;
  for (let i = at; i < at + length; i++) all |= bytes[i]!;
  if (all >= 0x80) return undefined;
  const from = String.fromCharCode;
  switch (length) {
    case 0:
      return '';
    case 1:
      return from(bytes[at]!);
    case 2:
      return from(bytes[at]!, bytes[at + 1]!);
    case 3:
      return from(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!);
    case 4:
      return from(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
    case 5:
      return from(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!, bytes[at + 4]!);
    case 6:
      return from(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!, bytes[at + 4]!, bytes[at + 5]!);
    case 7:
      return from(
        bytes[at]!,
        bytes[at + 1]!,
        bytes[at + 2]!,
        bytes[at + 3]!,
        bytes[at + 4]!,
        bytes[at + 5]!,
        bytes[at + 6]!,
      );
    default:
      return from(
        bytes[at]!,
        bytes[at + 1]!,
        bytes[at + 2]!,
        bytes[at + 3]!,
        bytes[at + 4]!,
        bytes[at + 5]!,
        bytes[at + 6]!,
        bytes[at + 7]!,
      );
  }
}

const shared = new Decoder();

/** Options of `decode`. */
export interface DecodeOptions {
  /** Where the value starts in `bytes` (default 0). */
  readonly offset?: number;
  /** How many bytes it takes (default: the rest of `bytes`). */
  readonly length?: number;
  /**
   * How long to wait, in milliseconds, for another thread to provide a SharedArrayBuffer this thread does
   * not know (default 5000). 0 fails at once: right for bytes from the network, which can name no buffer
   * of this process.
   */
  readonly bufferTimeout?: number;
  /**
   * Whether a handle kind unknown in this thread may be loaded by importing the package its name starts
   * with (default true). Pass false for untrusted bytes (from the network): then decoding runs no code but
   * the `fromHandle` of kinds this thread registered itself.
   */
  readonly importKinds?: boolean;
}

/**
 * Decodes bytes made by `encode` (in this or any other thread of this process) back into a value.
 *
 * @param bytes - the encoded bytes; only `bytes[offset .. offset + length)` is read, and never kept.
 * @returns the value. Handles and SharedArrayBuffers come back over the same shared memory.
 * @throws DecodeError if the bytes are truncated or malformed, name a handle kind no module in this thread
 *   registers, or name a SharedArrayBuffer that no thread provides within `bufferTimeout` (5 s). It never
 *   waits longer than that and never crashes the thread.
 * @throws RangeError if `offset`/`length` lie outside `bytes`.
 */
export function decode(bytes: Uint8Array, offset?: number, length?: number): unknown;
export function decode(bytes: Uint8Array, options: DecodeOptions): unknown;
export function decode(
  bytes: Uint8Array,
  offsetOrOptions?: number | DecodeOptions,
  length?: number,
): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decode expects a Uint8Array');
  let offset = 0;
  let bufferTimeout = REQUEST_TIMEOUT_MS;
  let importKinds = true;
  if (typeof offsetOrOptions === 'number') {
    offset = offsetOrOptions;
  } else if (offsetOrOptions !== undefined) {
    offset = offsetOrOptions.offset ?? 0;
    length = offsetOrOptions.length;
    bufferTimeout = offsetOrOptions.bufferTimeout ?? REQUEST_TIMEOUT_MS;
    importKinds = offsetOrOptions.importKinds ?? true;
  }
  if (length === undefined) length = bytes.length - offset;
  return run(bytes, offset, length, bufferTimeout, importKinds, false);
}

/**
 * Decodes bytes that came from outside this process (a socket): **data only**. What structured clone
 * carries (numbers, strings, objects, arrays, Maps, Sets, Dates, RegExps, errors, ArrayBuffers and
 * views over them) decodes as `decode` would; refused with DecodeError, before anything is allocated:
 *
 * - a SharedArrayBuffer id (it could name memory of this process);
 * - a handle, unless its kind is registered in this thread with `dataOnly: true` (its state is then
 *   decoded by the same rules); a kind is never imported;
 * - what the value stands for without the input holding it, past its bounds: sparse arrays' lengths
 *   together over `STRICT_SPARSE_ALLOWANCE` (1024) plus the input's byte count; resizable buffers' room
 *   to grow (`maxByteLength - byteLength`) together over `STRICT_RESERVE_ALLOWANCE` (64 KiB) plus the
 *   input's byte count; any `maxByteLength` over `MAX_RESIZABLE_BYTE_LENGTH`.
 *
 * Every other length is checked against the input's size before anything is allocated, as in `decode`.
 * So decoding runs no code but registered `dataOnly` kinds' `fromHandle`, loads no module, names no
 * memory of this process, and allocates at most a fixed multiple of the input's size.
 *
 * @throws DecodeError for anything above, or malformed input. @throws RangeError for a bad range.
 */
export function decodeStrict(bytes: Uint8Array, offset = 0, length?: number): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeStrict expects a Uint8Array');
  return run(bytes, offset, length ?? bytes.length - offset, 0, false, true);
}

function run(
  bytes: Uint8Array,
  offset: number,
  length: number,
  bufferTimeout: number,
  importKinds: boolean,
  strict: boolean,
): unknown {
  if (!(offset >= 0 && length >= 0 && offset + length <= bytes.length)) {
    throw new RangeError(
      `decode: range [${offset}, ${offset + length}) is outside the ${bytes.length} bytes given`,
    );
  }
  const decoder = shared.busy ? new Decoder() : shared;
  decoder.busy = true;
  decoder.bytes = bytes;
  decoder.pos = offset;
  decoder.end = offset + length;
  decoder.bufferTimeout = bufferTimeout;
  decoder.importKinds = importKinds;
  decoder.strict = strict;
  decoder.sparseBudget = strict ? STRICT_SPARSE_ALLOWANCE + length : 0;
  decoder.reserveBudget = strict ? STRICT_RESERVE_ALLOWANCE + length : 0;
  try {
    const value = decoder.value();
    if (decoder.pos !== decoder.end) decoder.fail(`${decoder.end - decoder.pos} bytes left after the value`);
    return value;
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new DecodeError('malformed bytes: nested too deeply', { cause: error });
    }
    throw error;
  } finally {
    decoder.bytes = empty;
    decoder.nodeBuffer = undefined;
    if (decoder.objects.length !== 0) decoder.objects = [];
    decoder.strict = false;
    decoder.busy = false;
  }
}

const empty = new Uint8Array(0);
