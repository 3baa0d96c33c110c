/*
 * The weft byte format. A value is one tag byte followed by its body; containers nest values.
 * Integers written as `varint` are unsigned LEB128 (7 bits per byte, low bits first, up to 2^53).
 *
 *   tag   name                 body
 *   0x00  UNDEFINED            -
 *   0x01  NULL                 -
 *   0x02  FALSE                -
 *   0x03  TRUE                 -
 *   0x04  INT                  varint zigzag(int32)
 *   0x05  FLOAT64              8 bytes, host order (also -0, NaN, ±Infinity, integers beyond int32)
 *   0x06  BIGINT               sign byte (0 = +, 1 = -), varint n, n bytes of |v|, little-endian
 *   0x07  STRING_UTF8          varint byte length, UTF-8 bytes (well-formed strings)
 *   0x08  STRING_UTF16         varint code units, 2 bytes each little-endian (strings with lone surrogates)
 *   0x09  ARRAY                varint length, `length` values (HOLE for a missing index),
 *                              then extra properties as (string key, value) pairs, END
 *   0x0a  SPARSE_ARRAY         varint length, (string key, value) pairs, END
 *   0x0b  OBJECT               (string key, value) pairs, END
 *   0x0c  DATE                 8-byte float time value
 *   0x0d  REGEXP               string source, string flags
 *   0x0e  MAP                  varint size, size × (key value, value)
 *   0x0f  SET                  varint size, size × value
 *   0x10  ARRAY_BUFFER         varint byte length, bytes
 *   0x11  RESIZABLE_BUFFER     varint byte length, varint max byte length, bytes
 *   0x12  SHARED_BUFFER        u32 id.a, u32 id.b, varint id.n, varint byte length   (by reference)
 *   0x13  VIEW                 kind byte (ViewKind), buffer value, varint byte offset, varint length
 *                              (elements; bytes for a DataView)
 *   0x14  NODE_BUFFER          varint byte length, bytes (a Node Buffer: only its own bytes travel)
 *   0x15  BOXED_NUMBER         8-byte float
 *   0x16  BOXED_STRING         string value
 *   0x17  BOXED_BOOLEAN        byte 0 or 1
 *   0x18  BOXED_BIGINT         bigint value
 *   0x19  ERROR                flags byte (1 message, 2 stack, 4 cause), string name, [string message],
 *                              [string stack], then (string key, primitive value) pairs, END, [cause value]
 *   0x1a  HANDLE               string kind name, state value
 *   0x1b  REF                  varint object index (objects are numbered in order of first appearance)
 *   0x1c  HOLE                 - (only inside ARRAY)
 *   0x1d  END                  - (ends a list of properties)
 *
 * Floats and typed-array contents are in the host's byte order, as structuredClone keeps them: little-endian
 * on every platform weft runs on in practice (x64, arm64).
 *
 * Every tag that creates an object (ARRAY .. HANDLE) takes the next object index when it starts, before
 * its children, so that a child may refer back to its parent (cycles).
 */
export const Tag = {
  UNDEFINED: 0x00,
  NULL: 0x01,
  FALSE: 0x02,
  TRUE: 0x03,
  INT: 0x04,
  FLOAT64: 0x05,
  BIGINT: 0x06,
  STRING_UTF8: 0x07,
  STRING_UTF16: 0x08,
  ARRAY: 0x09,
  SPARSE_ARRAY: 0x0a,
  OBJECT: 0x0b,
  DATE: 0x0c,
  REGEXP: 0x0d,
  MAP: 0x0e,
  SET: 0x0f,
  ARRAY_BUFFER: 0x10,
  RESIZABLE_BUFFER: 0x11,
  SHARED_BUFFER: 0x12,
  VIEW: 0x13,
  NODE_BUFFER: 0x14,
  BOXED_NUMBER: 0x15,
  BOXED_STRING: 0x16,
  BOXED_BOOLEAN: 0x17,
  BOXED_BIGINT: 0x18,
  ERROR: 0x19,
  HANDLE: 0x1a,
  REF: 0x1b,
  HOLE: 0x1c,
  END: 0x1d,
} as const;

/**
 * The largest `maxByteLength` of a resizable ArrayBuffer that `encode` sends and `decode` accepts
 * (1 GiB). V8 reserves a resizable buffer's maximum up front, so a few bytes naming 4 GiB would
 * otherwise reserve 4 GiB of address space on the decoding side.
 */
export const MAX_RESIZABLE_BYTE_LENGTH = 2 ** 30;

/**
 * Strict decoding (`decodeStrict`): the elements a value's sparse arrays may stand for, in total, beyond
 * one per input byte (what a dense array of holes, one byte each, would cost). A 10-byte "array of
 * 4 billion holes" would otherwise become 32 GB in the first `[...array]`.
 */
export const STRICT_SPARSE_ALLOWANCE = 1024;

/**
 * Strict decoding: the bytes a value's resizable ArrayBuffers may reserve to grow into
 * (`maxByteLength - byteLength`), in total, beyond one per input byte.
 */
export const STRICT_RESERVE_ALLOWANCE = 64 * 1024;

/** Error body flags. */
export const ErrorFlag = { MESSAGE: 1, STACK: 2, CAUSE: 4 } as const;

type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;

/** The kinds of views over a buffer, in the order of their kind byte. */
export const viewConstructors: readonly ViewConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
];

/** Kind byte of a DataView: its length is in bytes. */
export const DATA_VIEW_KIND = 11;

/** The built-in error constructors an ERROR keeps the prototype of (others decode as Error + name). */
export const errorConstructors: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};
