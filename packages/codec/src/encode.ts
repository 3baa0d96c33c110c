import { idOfBuffer } from './buffer-directory.js';
import { copyBytes } from './copy-bytes.js';
import { DataCloneError } from './errors.js';
import { DATA_VIEW_KIND, ErrorFlag, MAX_RESIZABLE_BYTE_LENGTH, Tag, viewConstructors } from './format.js';
import { kindOfPrototype } from './handles.js';
import { MAX_SLAB_OUTPUT, slabBytes, uninitializedBytes } from './output-memory.js';
import {
  classInstance,
  isOtherRealmPrototype,
  mapValueSegment,
  notTransportable,
  propertySegment,
} from './refusals.js';

/** Options of `encode`. */
export interface EncodeOptions {
  /** The name the path in a DataCloneError starts with (default `'value'`), e.g. `'args'`. */
  readonly root?: string;
}

enum Builtin {
  Date,
  RegExp,
  Map,
  Set,
  ArrayBuffer,
  SharedArrayBuffer,
  View,
  NodeBuffer,
  BoxedNumber,
  BoxedString,
  BoxedBoolean,
  BoxedBigInt,
  Error,
}

/** Exact prototypes of the built-ins the format knows (subclasses are class instances). */
const builtinByPrototype = new Map<object, Builtin>([
  [Date.prototype, Builtin.Date],
  [RegExp.prototype, Builtin.RegExp],
  [Map.prototype, Builtin.Map],
  [Set.prototype, Builtin.Set],
  [ArrayBuffer.prototype, Builtin.ArrayBuffer],
  [SharedArrayBuffer.prototype, Builtin.SharedArrayBuffer],
  [Buffer.prototype, Builtin.NodeBuffer],
  [Number.prototype, Builtin.BoxedNumber],
  [String.prototype, Builtin.BoxedString],
  [Boolean.prototype, Builtin.BoxedBoolean],
  [BigInt.prototype, Builtin.BoxedBigInt],
]);
const viewKindByPrototype = new Map<object, number>();
viewConstructors.forEach((viewClass, kind) => {
  builtinByPrototype.set(viewClass.prototype, Builtin.View);
  viewKindByPrototype.set(viewClass.prototype, kind);
});

const textEncoder = new TextEncoder();
const INITIAL_SCRATCH = 8192;
/** Objects per message tracked without a Map (see Encoder.seenList). */
const SMALL_SEEN = 16;
/** Byte runs at least this long are copied once into the output instead of through the scratch. */
const LARGE_CHUNK = 4096;
/** Messages up to this long get a cached view of the scratch from `output(false)`. */
const CACHED_VIEWS = 256;
/** Scratch larger than this is dropped after use, so one huge message does not pin its memory. */
const KEEP_SCRATCH = 1 << 20;
/** Assembly memory (see Encoder.assembly) larger than this is dropped after use, likewise. */
const KEEP_ASSEMBLY = 4 << 20;
/** Assembly memory grows in steps of this many bytes. */
const ASSEMBLY_STEP = 64 * 1024;

const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);

class Encoder {
  bytes = new Uint8Array(INITIAL_SCRATCH);
  pos = 0;
  nextIndex = 0;
  /**
   * Objects met so far, by index. The first SMALL_SEEN are only in `seenList` (a linear scan of a few
   * entries costs less than a Map, and allocates nothing); beyond that they are also in `seenMap`.
   */
  readonly seenList: (object | undefined)[] = new Array(SMALL_SEEN).fill(undefined);
  readonly seenMap = new Map<object, number>();
  busy = false;
  /** Handles whose state is being encoded (a REF to one of them would be a cycle the decoder cannot build). */
  readonly handlesInProgress: object[] = [];
  /**
   * Large byte runs (buffer contents) are not copied into the scratch: each is kept as (scratch position,
   * bytes) and copied once, straight into the output, by `output`.
   */
  chunks: [at: number, bytes: Uint8Array][] = [];
  chunkBytes = 0;
  /**
   * Where `output(false)` lays scratch and chunks end to end when a message has large chunks: kept
   * from one message to the next (up to KEEP_ASSEMBLY), because a fresh megabyte costs page faults,
   * several times a copy into memory already touched. Only callers that copy the bytes away at once
   * (encodeWith, encodeInto) see it.
   */
  assembly: Uint8Array | undefined;
  /** This encoder's message as parts (see `encodeWithParts`), made once. */
  readonly parts: EncodedParts = new Parts(this);

  reset(): void {
    this.pos = 0;
    const small = Math.min(this.nextIndex, SMALL_SEEN);
    for (let i = 0; i < small; i++) this.seenList[i] = undefined;
    if (this.seenMap.size !== 0) this.seenMap.clear();
    this.nextIndex = 0;
    // Written only when set: a store to an array's length costs more than the check.
    if (this.handlesInProgress.length !== 0) this.handlesInProgress.length = 0;
    if (this.chunks.length !== 0) {
      this.chunks = [];
      this.chunkBytes = 0;
    }
    if (this.bytes.length > KEEP_SCRATCH) this.setScratch(new Uint8Array(INITIAL_SCRATCH));
    if (this.assembly !== undefined && this.assembly.length > KEEP_ASSEMBLY) this.assembly = undefined;
  }

  private assemblyOf(length: number): Uint8Array {
    let assembly = this.assembly;
    if (assembly === undefined || assembly.length < length) {
      assembly = uninitializedBytes(Math.ceil(length / ASSEMBLY_STEP) * ASSEMBLY_STEP);
      this.assembly = assembly;
    }
    return assembly.subarray(0, length);
  }

  /**
   * Views of the first n bytes of the scratch for small n, made once per scratch: `output(false)` of a
   * small message would otherwise cost a subarray (an allocation) per message.
   */
  private scratchViews: (Uint8Array | undefined)[] = new Array(CACHED_VIEWS + 1).fill(undefined);

  private setScratch(bytes: Uint8Array<ArrayBuffer>): void {
    this.bytes = bytes;
    this.scratchViews = new Array(CACHED_VIEWS + 1).fill(undefined);
  }

  grow(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < this.pos + needed) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.pos));
    this.setScratch(bigger);
  }

  varint(value: number): void {
    if (this.pos + 8 > this.bytes.length) this.grow(8);
    const bytes = this.bytes;
    let pos = this.pos;
    while (value >= 0x80) {
      bytes[pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    bytes[pos++] = value;
    this.pos = pos;
  }

  byte(value: number): void {
    if (this.pos >= this.bytes.length) this.grow(1);
    this.bytes[this.pos++] = value;
  }

  float(value: number): void {
    if (this.pos + 8 > this.bytes.length) this.grow(8);
    float64[0] = value;
    const bytes = this.bytes;
    const at = this.pos;
    for (let i = 0; i < 8; i++) bytes[at + i] = float64Bytes[i]!;
    this.pos = at + 8;
  }

  raw(source: Uint8Array): void {
    const length = source.length;
    if (length >= LARGE_CHUNK) {
      this.chunks.push([this.pos, source]);
      this.chunkBytes += length;
      return;
    }
    if (this.pos + length > this.bytes.length) this.grow(length);
    this.bytes.set(source, this.pos);
    this.pos += length;
  }

  /**
   * The encoded bytes. `copy`: a new array of their own. Else a view valid until the next message:
   * of the scratch, or of the assembly memory when large chunks were set aside.
   */
  output(copy: boolean): Uint8Array {
    if (this.chunks.length === 0) {
      const length = this.pos;
      if (!copy) {
        if (length > CACHED_VIEWS) return this.bytes.subarray(0, length);
        let view = this.scratchViews[length];
        if (view === undefined) {
          view = this.bytes.subarray(0, length);
          this.scratchViews[length] = view;
        }
        return view;
      }
      if (length > MAX_SLAB_OUTPUT) {
        const output = uninitializedBytes(length);
        output.set(this.bytes.subarray(0, length));
        return output;
      }
      const output = slabBytes(length);
      const bytes = this.bytes;
      // A loop beats set() for a few dozen bytes: set() first needs a subarray object.
      for (let i = 0; i < length; i++) output[i] = bytes[i]!;
      return output;
    }
    // Every byte of the output is written below, so it need not be zeroed first.
    const length = this.pos + this.chunkBytes;
    const output = copy ? uninitializedBytes(length) : this.assemblyOf(length);
    let from = 0;
    let to = 0;
    for (const [at, bytes] of this.chunks) {
      output.set(this.bytes.subarray(from, at), to);
      to += at - from;
      output.set(bytes, to);
      to += bytes.length;
      from = at;
    }
    output.set(this.bytes.subarray(from, this.pos), to);
    return output;
  }

  value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        this.number(value);
        return;
      case 'string':
        this.string(value);
        return;
      case 'object':
        if (value === null) this.byte(Tag.NULL);
        else this.object(value);
        return;
      case 'boolean':
        this.byte(value ? Tag.TRUE : Tag.FALSE);
        return;
      case 'undefined':
        this.byte(Tag.UNDEFINED);
        return;
      case 'bigint':
        this.byte(Tag.BIGINT);
        this.bigint(value);
        return;
      case 'function':
        throw new DataCloneError('is a function');
      default:
        throw new DataCloneError('is a symbol');
    }
  }

  number(value: number): void {
    if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
      if (this.pos + 6 > this.bytes.length) this.grow(6);
      const bytes = this.bytes;
      let pos = this.pos;
      bytes[pos++] = Tag.INT;
      let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
      while (zigzag >= 0x80) {
        bytes[pos++] = (zigzag & 0x7f) | 0x80;
        zigzag >>>= 7;
      }
      bytes[pos++] = zigzag;
      this.pos = pos;
      return;
    }
    this.byte(Tag.FLOAT64);
    this.float(value);
  }

  string(value: string): void {
    const length = value.length;
    if (length < 64) {
      // Short ASCII strings (most keys and small messages): one pass, no TextEncoder call.
      if (this.pos + length + 2 > this.bytes.length) this.grow(length + 2);
      const bytes = this.bytes;
      const start = this.pos;
      bytes[start] = Tag.STRING_UTF8;
      bytes[start + 1] = length;
      let pos = start + 2;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        bytes[pos++] = code;
      }
      if (i === length) {
        this.pos = pos;
        return;
      }
    }
    if (!value.isWellFormed()) {
      this.byte(Tag.STRING_UTF16);
      this.varint(length);
      if (this.pos + length * 2 > this.bytes.length) this.grow(length * 2);
      const bytes = this.bytes;
      let pos = this.pos;
      for (let i = 0; i < length; i++) {
        const code = value.charCodeAt(i);
        bytes[pos++] = code & 0xff;
        bytes[pos++] = code >>> 8;
      }
      this.pos = pos;
      return;
    }
    const maxBytes = length * 3;
    const lengthBytes = varintSize(maxBytes);
    if (this.pos + 1 + lengthBytes + maxBytes > this.bytes.length) this.grow(1 + lengthBytes + maxBytes);
    const bytes = this.bytes;
    bytes[this.pos] = Tag.STRING_UTF8;
    const lengthAt = this.pos + 1;
    const start = lengthAt + lengthBytes;
    const written = textEncoder.encodeInto(value, bytes.subarray(start)).written;
    // The length was given room for the worst case; pad it as a non-minimal varint of that width.
    let rest = written;
    for (let i = 0; i < lengthBytes - 1; i++) {
      bytes[lengthAt + i] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[lengthAt + lengthBytes - 1] = rest;
    this.pos = start + written;
  }

  bigint(value: bigint): void {
    const negative = value < 0n;
    this.byte(negative ? 1 : 0);
    if (value === 0n) {
      this.byte(0);
      return;
    }
    // Through hex, which V8 converts in linear time (shifting word by word is quadratic).
    const hex = (negative ? -value : value).toString(16);
    const length = (hex.length + 1) >> 1;
    this.varint(length);
    if (this.pos + length > this.bytes.length) this.grow(length);
    const bytes = this.bytes;
    // Little-endian: the last two hex digits are byte 0.
    for (let i = 0, end = hex.length; i < length; i++, end -= 2) {
      const low = hexDigit(hex.charCodeAt(end - 1));
      bytes[this.pos + i] = end >= 2 ? (hexDigit(hex.charCodeAt(end - 2)) << 4) | low : low;
    }
    this.pos += length;
  }

  object(value: object): void {
    const index = this.indexOf(value);
    if (index !== -1) {
      if (this.handlesInProgress.includes(value)) {
        // The decoder cannot build a handle before its state: a state that contains its own handle is a cycle.
        throw new DataCloneError('is a handle whose state contains the handle itself');
      }
      this.byte(Tag.REF);
      this.varint(index);
      return;
    }
    const next = this.nextIndex++;
    if (next < SMALL_SEEN) {
      this.seenList[next] = value;
    } else {
      if (next === SMALL_SEEN) for (let i = 0; i < SMALL_SEEN; i++) this.seenMap.set(this.seenList[i]!, i);
      this.seenMap.set(value, next);
    }
    if (Array.isArray(value)) {
      const arrayPrototype = Object.getPrototypeOf(value) as object;
      if (arrayPrototype !== Array.prototype && !isOtherRealmPrototype(arrayPrototype, 'Array')) {
        throw classInstance(value);
      }
      this.array(value);
      return;
    }
    const prototype: object | null = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      this.plainObject(value);
      return;
    }
    const builtin = builtinByPrototype.get(prototype);
    if (builtin !== undefined) {
      this.builtin(value, builtin, prototype);
      return;
    }
    const kind = kindOfPrototype(value, prototype);
    if (kind !== undefined) {
      this.byte(Tag.HANDLE);
      this.string(kind.name);
      this.handlesInProgress.push(value);
      try {
        this.value(kind.toHandle(value));
      } catch (error) {
        if (error instanceof DataCloneError) error.addSegment(`<${kind.name} handle state>`);
        throw error;
      } finally {
        this.handlesInProgress.pop();
      }
      return;
    }
    if (value instanceof Error || Object.prototype.toString.call(value) === '[object Error]') {
      this.error(value as Error);
      return;
    }
    // A plain object made in another realm (a vm context) has that realm's Object.prototype.
    if (isOtherRealmPrototype(prototype, 'Object')) {
      this.plainObject(value);
      return;
    }
    throw notTransportable(value);
  }

  indexOf(value: object): number {
    if (this.nextIndex > SMALL_SEEN) return this.seenMap.get(value) ?? -1;
    const list = this.seenList;
    for (let i = 0; i < this.nextIndex; i++) if (list[i] === value) return i;
    return -1;
  }

  plainObject(value: object): void {
    this.byte(Tag.OBJECT);
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let key = '';
    try {
      for (let i = 0; i < keys.length; i++) {
        key = keys[i]!;
        this.string(key);
        this.value(record[key]);
      }
    } catch (error) {
      if (error instanceof DataCloneError) error.addSegment(propertySegment(key));
      throw error;
    }
    this.byte(Tag.END);
  }

  array(value: unknown[]): void {
    const length = value.length;
    const keys = Object.keys(value);
    let i = 0;
    try {
      if (keys.length === length && (length === 0 || keys[length - 1] === String(length - 1))) {
        // Dense, no extra properties: the common case.
        this.byte(Tag.ARRAY);
        this.varint(length);
        for (; i < length; i++) this.value(value[i]);
        this.byte(Tag.END);
        return;
      }
      if (length > 2 * keys.length + 16) {
        this.byte(Tag.SPARSE_ARRAY);
        this.varint(length);
        this.properties(value, keys, 0);
        return;
      }
      this.byte(Tag.ARRAY);
      this.varint(length);
      for (; i < length; i++) {
        if (i in value) this.value(value[i]);
        else this.byte(Tag.HOLE);
      }
      // Index keys come first in Object.keys, in order; whatever follows them is an extra property.
      let first = 0;
      while (first < keys.length && isIndex(keys[first]!)) first++;
      this.properties(value, keys, first);
    } catch (error) {
      if (error instanceof DataCloneError && i < length) error.addSegment(`[${i}]`);
      throw error;
    }
  }

  /** (key, value) pairs for keys[from..], then END. */
  properties(value: object, keys: string[], from: number): void {
    const record = value as Record<string, unknown>;
    let key = '';
    try {
      for (let k = from; k < keys.length; k++) {
        key = keys[k]!;
        this.string(key);
        this.value(record[key]);
      }
    } catch (error) {
      if (error instanceof DataCloneError) error.addSegment(propertySegment(key));
      throw error;
    }
    this.byte(Tag.END);
  }

  builtin(value: object, builtin: Builtin, prototype: object): void {
    switch (builtin) {
      case Builtin.Date:
        this.byte(Tag.DATE);
        this.float((value as Date).getTime());
        return;
      case Builtin.RegExp:
        this.byte(Tag.REGEXP);
        this.string((value as RegExp).source);
        this.string((value as RegExp).flags);
        return;
      case Builtin.Map: {
        const map = value as Map<unknown, unknown>;
        this.byte(Tag.MAP);
        this.varint(map.size);
        let n = 0;
        let inKey = true;
        try {
          for (const [key, item] of map) {
            inKey = true;
            this.value(key);
            inKey = false;
            this.value(item);
            n++;
          }
        } catch (error) {
          if (error instanceof DataCloneError)
            error.addSegment(inKey ? `<Map key #${n}>` : mapValueSegment(map, n));
          throw error;
        }
        return;
      }
      case Builtin.Set: {
        const set = value as Set<unknown>;
        this.byte(Tag.SET);
        this.varint(set.size);
        let n = 0;
        try {
          for (const item of set) {
            this.value(item);
            n++;
          }
        } catch (error) {
          if (error instanceof DataCloneError) error.addSegment(`<Set element #${n}>`);
          throw error;
        }
        return;
      }
      case Builtin.ArrayBuffer:
        this.arrayBuffer(value as ArrayBuffer);
        return;
      case Builtin.SharedArrayBuffer: {
        const buffer = value as SharedArrayBuffer;
        const id = idOfBuffer(buffer);
        if (this.pos + 9 > this.bytes.length) this.grow(9);
        const bytes = this.bytes;
        bytes[this.pos++] = Tag.SHARED_BUFFER;
        writeUint32(bytes, this.pos, id.a);
        writeUint32(bytes, this.pos + 4, id.b);
        this.pos += 8;
        this.varint(id.n);
        this.varint(buffer.byteLength);
        return;
      }
      case Builtin.View: {
        const view = value as ArrayBufferView;
        const kind = viewKindByPrototype.get(prototype)!;
        this.byte(Tag.VIEW);
        this.byte(kind);
        // The buffer is an object of its own: two views of one buffer arrive over one buffer.
        try {
          this.object(view.buffer);
        } catch (error) {
          if (error instanceof DataCloneError) error.addSegment('.buffer');
          throw error;
        }
        this.varint(view.byteOffset);
        this.varint(kind === DATA_VIEW_KIND ? view.byteLength : (view as Uint8Array).length);
        return;
      }
      case Builtin.NodeBuffer: {
        const buffer = value as Buffer;
        if (buffer.buffer instanceof SharedArrayBuffer) {
          // A Buffer over shared memory keeps sharing it, as a Uint8Array.
          this.byte(Tag.VIEW);
          this.byte(1);
          this.object(buffer.buffer);
          this.varint(buffer.byteOffset);
          this.varint(buffer.length);
          return;
        }
        // A small Buffer is a slice of Node's 8 KB pool: only its own bytes travel.
        this.byte(Tag.NODE_BUFFER);
        this.varint(buffer.length);
        this.raw(buffer);
        return;
      }
      case Builtin.BoxedNumber:
        this.byte(Tag.BOXED_NUMBER);
        this.float(Number.prototype.valueOf.call(value));
        return;
      case Builtin.BoxedString:
        this.byte(Tag.BOXED_STRING);
        this.string(String.prototype.valueOf.call(value));
        return;
      case Builtin.BoxedBoolean:
        this.byte(Tag.BOXED_BOOLEAN);
        this.byte(Boolean.prototype.valueOf.call(value) ? 1 : 0);
        return;
      case Builtin.BoxedBigInt:
        this.byte(Tag.BOXED_BIGINT);
        this.bigint(BigInt.prototype.valueOf.call(value));
        return;
      default:
        this.error(value as Error);
    }
  }

  arrayBuffer(buffer: ArrayBuffer): void {
    const length = buffer.byteLength;
    if (length === 0 && isDetached(buffer)) throw new DataCloneError('is a detached ArrayBuffer');
    if (buffer.resizable) {
      if (buffer.maxByteLength > MAX_RESIZABLE_BYTE_LENGTH) {
        throw new DataCloneError(
          `is a resizable ArrayBuffer whose maxByteLength ${buffer.maxByteLength} is over the limit of ${MAX_RESIZABLE_BYTE_LENGTH} (1 GiB): give it a smaller maximum`,
        );
      }
      this.byte(Tag.RESIZABLE_BUFFER);
      this.varint(length);
      this.varint(buffer.maxByteLength);
    } else {
      this.byte(Tag.ARRAY_BUFFER);
      this.varint(length);
    }
    this.raw(new Uint8Array(buffer, 0, length));
  }

  error(error: Error): void {
    this.byte(Tag.ERROR);
    const flagsAt = this.pos;
    this.byte(0);
    let flags = 0;
    const name = error.name;
    this.string(typeof name === 'string' ? name : 'Error');
    const message = Object.getOwnPropertyDescriptor(error, 'message');
    if (message !== undefined && 'value' in message) {
      flags |= ErrorFlag.MESSAGE;
      this.string(String(message.value));
    }
    const stack = error.stack;
    if (typeof stack === 'string') {
      flags |= ErrorFlag.STACK;
      this.string(stack);
    }
    // Primitive own properties (code, errno, syscall, path of Node's errors) travel; others are dropped,
    // as structuredClone drops them all.
    const record = error as unknown as Record<string, unknown>;
    for (const key of Object.keys(error)) {
      if (key === 'cause' || key === 'name' || key === 'message' || key === 'stack') continue;
      const item = record[key];
      const type = typeof item;
      if (item === null || (type !== 'object' && type !== 'function' && type !== 'symbol')) {
        this.string(key);
        this.value(item);
      }
    }
    this.byte(Tag.END);
    if (Object.hasOwn(error, 'cause')) {
      flags |= ErrorFlag.CAUSE;
      try {
        this.value((error as { cause?: unknown }).cause);
      } catch (thrown) {
        if (thrown instanceof DataCloneError) thrown.addSegment('.cause');
        throw thrown;
      }
    }
    this.bytes[flagsAt] = flags;
  }
}

/** The value of a lowercase hex digit's char code. */
function hexDigit(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = value >>> 24;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

function isIndex(key: string): boolean {
  const code = key.charCodeAt(0);
  return code >= 48 && code <= 57 && String(Number(key) >>> 0) === key && key !== '4294967295';
}

function isDetached(buffer: ArrayBuffer): boolean {
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** Copies `source` into `target` at byte `at`. */
type CopyRun = (target: Uint8Array, at: number, source: Uint8Array) => void;

/**
 * An encoded message that holds large buffer contents, not yet laid out in one piece: its length is
 * known, so a caller can reserve exactly that much memory (a ring's record) and have it written there
 * straight from the original buffers, in one copy. Valid only during the `encodeWithParts` call.
 */
export interface EncodedParts {
  /** Bytes of the whole encoding. */
  readonly length: number;
  /** Where the contents of the largest buffer start in the encoding (to align them in the target). */
  readonly bulkOffset: number;
  /** Writes the whole encoding into `target` from byte `offset`, copying each run with `copy`. */
  writeTo(
    target: Uint8Array,
    offset: number,
    copy?: (target: Uint8Array, at: number, source: Uint8Array) => void,
  ): void;
}

class Parts implements EncodedParts {
  readonly #encoder: Encoder;

  constructor(encoder: Encoder) {
    this.#encoder = encoder;
  }

  get length(): number {
    return this.#encoder.pos + this.#encoder.chunkBytes;
  }

  get bulkOffset(): number {
    let largest = -1;
    let offset = 0;
    let before = 0;
    for (const [at, bytes] of this.#encoder.chunks) {
      if (bytes.length > largest) {
        largest = bytes.length;
        offset = at + before;
      }
      before += bytes.length;
    }
    return offset;
  }

  writeTo(target: Uint8Array, offset: number, copy: CopyRun = copyBytes): void {
    const encoder = this.#encoder;
    const scratch = encoder.bytes;
    if (offset < 0 || offset + this.length > target.length) {
      throw new RangeError(
        `encoded value needs ${this.length} bytes at ${offset}; ${target.length} available`,
      );
    }
    let from = 0;
    let to = offset;
    for (const [at, bytes] of encoder.chunks) {
      if (at > from) copy(target, to, scratch.subarray(from, at));
      to += at - from;
      copy(target, to, bytes);
      to += bytes.length;
      from = at;
    }
    if (encoder.pos > from) copy(target, to, scratch.subarray(from, encoder.pos));
  }
}

const shared = new Encoder();

function run<T>(value: unknown, options: EncodeOptions | undefined, finish: (encoder: Encoder) => T): T {
  // encode may re-enter (a getter or a toHandle that encodes): only the outermost call uses the shared scratch.
  const encoder = shared.busy ? new Encoder() : shared;
  encoder.busy = true;
  try {
    encoder.value(value);
    return finish(encoder);
  } catch (error) {
    if (error instanceof DataCloneError) throw error.finishPath(options?.root ?? 'value');
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new DataCloneError('is nested too deeply to encode').finishPath(options?.root ?? 'value');
    }
    throw error;
  } finally {
    encoder.reset();
    encoder.busy = false;
  }
}

/**
 * Encodes `value` into a new Uint8Array of exactly its size.
 *
 * Accepts what `structuredClone` accepts, plus instances of registered handle kinds (by reference) and
 * SharedArrayBuffers (by reference, through the buffer directory).
 *
 * @returns the bytes; `decode` turns them back into an equal value in any thread of this process.
 * @throws DataCloneError naming the path of the first value that cannot cross (a function, a symbol, a
 *   class instance that is no handle, a thread-local object).
 */
export function encode(value: unknown, options?: EncodeOptions): Uint8Array {
  return run(value, options, copyOut);
}

const copyOut = (encoder: Encoder): Uint8Array => encoder.output(true);

/**
 * Encodes `value` into `target` at `offset`.
 *
 * @returns the number of bytes written.
 * @throws RangeError if the bytes do not fit (nothing is written; `error.needed` says how many are needed).
 * @throws DataCloneError as `encode`.
 */
export function encodeInto(value: unknown, target: Uint8Array, offset = 0, options?: EncodeOptions): number {
  return run(value, options, (encoder) => {
    const bytes = encoder.output(false);
    const length = bytes.length;
    if (offset < 0 || offset + length > target.length) {
      throw Object.assign(
        new RangeError(
          `encoded value needs ${length} bytes; ${Math.max(0, target.length - offset)} available`,
        ),
        { needed: length },
      );
    }
    copyBytes(target, offset, bytes);
    return length;
  });
}

/**
 * Encodes `value` and passes a view of the thread's scratch memory holding the bytes to `use`, without
 * copying them: copy them where they belong (a ring buffer, a socket write that copies) inside `use`.
 * The view is valid only during the call.
 *
 * @returns what `use` returns.
 * @throws DataCloneError as `encode`.
 */
export function encodeWith<R>(value: unknown, use: (bytes: Uint8Array) => R, options?: EncodeOptions): R {
  return run(value, options, (encoder) => use(encoder.output(false)));
}

/**
 * Encodes `value` and hands it over without copying it first: to `useBytes` as a view of the thread's
 * scratch memory when it is small and contiguous (as `encodeWith`), or to `useParts` when it holds large
 * buffer contents, which `parts.writeTo` then copies once, straight from the original buffers, to
 * where they belong. Either argument is valid only during the call.
 *
 * @returns what the callback returns.
 * @throws DataCloneError as `encode`.
 */
export function encodeWithParts<R>(
  value: unknown,
  useBytes: (bytes: Uint8Array) => R,
  useParts: (parts: EncodedParts) => R,
  options?: EncodeOptions,
): R {
  return run(value, options, (encoder) =>
    encoder.chunks.length === 0 ? useBytes(encoder.output(false)) : useParts(encoder.parts),
  );
}
