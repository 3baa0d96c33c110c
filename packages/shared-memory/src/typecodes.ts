/**
 * Python's `array` typecodes and what each means here. Sizes follow CPython on 64-bit Linux
 * (`array('l').itemsize == 8`), so 'l'/'L' are 64-bit like 'q'/'Q', and every 64-bit code reads and
 * writes BigInt (a JavaScript number cannot hold every 64-bit integer).
 */
import { OverflowError, ValueError } from './errors.js';

export type BigIntTypecode = 'l' | 'L' | 'q' | 'Q';
export type NumberTypecode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'f' | 'd';
/** Python's array typecodes. */
export type Typecode = BigIntTypecode | NumberTypecode;

/** The JavaScript type a typecode's elements read and write as. */
export type ElementOf<C extends Typecode> = C extends BigIntTypecode ? bigint : number;

/** The typed array `.array` gives for each typecode. */
export interface TypedArrayOf {
  b: Int8Array;
  B: Uint8Array;
  h: Int16Array;
  H: Uint16Array;
  i: Int32Array;
  I: Uint32Array;
  l: BigInt64Array;
  L: BigUint64Array;
  q: BigInt64Array;
  Q: BigUint64Array;
  f: Float32Array;
  d: Float64Array;
}

type AnyTypedArray = TypedArrayOf[Typecode];
type TypedArrayConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => AnyTypedArray;

interface TypecodeInfo {
  bytes: number;
  view: TypedArrayConstructor;
  kind: 'int' | 'bigint' | 'float';
  /** Inclusive range of the integer kinds. */
  min: number | bigint;
  max: number | bigint;
  /** Atomics work on it (every integer type). */
  atomic: boolean;
}

const info: Record<Typecode, TypecodeInfo> = {
  b: { bytes: 1, view: Int8Array, kind: 'int', min: -128, max: 127, atomic: true },
  B: { bytes: 1, view: Uint8Array, kind: 'int', min: 0, max: 255, atomic: true },
  h: { bytes: 2, view: Int16Array, kind: 'int', min: -32768, max: 32767, atomic: true },
  H: { bytes: 2, view: Uint16Array, kind: 'int', min: 0, max: 65535, atomic: true },
  i: { bytes: 4, view: Int32Array, kind: 'int', min: -(2 ** 31), max: 2 ** 31 - 1, atomic: true },
  I: { bytes: 4, view: Uint32Array, kind: 'int', min: 0, max: 2 ** 32 - 1, atomic: true },
  l: { bytes: 8, view: BigInt64Array, kind: 'bigint', min: -(2n ** 63n), max: 2n ** 63n - 1n, atomic: true },
  L: { bytes: 8, view: BigUint64Array, kind: 'bigint', min: 0n, max: 2n ** 64n - 1n, atomic: true },
  q: { bytes: 8, view: BigInt64Array, kind: 'bigint', min: -(2n ** 63n), max: 2n ** 63n - 1n, atomic: true },
  Q: { bytes: 8, view: BigUint64Array, kind: 'bigint', min: 0n, max: 2n ** 64n - 1n, atomic: true },
  f: { bytes: 4, view: Float32Array, kind: 'float', min: 0, max: 0, atomic: false },
  d: { bytes: 8, view: Float64Array, kind: 'float', min: 0, max: 0, atomic: false },
};

const names = Object.keys(info).join(' ');

/** What a typecode means. @throws ValueError for an unknown typecode. */
export function typecodeInfo(typecode: unknown): TypecodeInfo {
  if (typeof typecode === 'string' && Object.hasOwn(info, typecode)) return info[typecode as Typecode];
  throw new ValueError(
    `bad typecode ${JSON.stringify(typecode)} (must be one of ${names}, or 'str' for a Value)`,
    'ERR_TYPECODE',
  );
}

/** A typed view of `length` elements at `byteOffset` of `buffer`. */
export function viewOf<C extends Typecode>(
  typecode: C,
  buffer: SharedArrayBuffer,
  byteOffset: number,
  length: number,
) {
  return new (typecodeInfo(typecode).view)(buffer, byteOffset, length) as TypedArrayOf[C];
}

/**
 * Checks that `value` fits `typecode`, the way Python's `array` does.
 * @throws TypeError for a value of the wrong JavaScript type (a non-integer for an integer code);
 *   OverflowError for an integer out of range.
 */
export function checkElement(typecode: Typecode, value: unknown, where = 'value'): void {
  const code = typecodeInfo(typecode);
  if (code.kind === 'float') {
    if (typeof value !== 'number')
      throw new TypeError(`${where}: typecode '${typecode}' needs a number, got ${describe(value)}`);
    return;
  }
  if (code.kind === 'bigint') {
    if (typeof value !== 'bigint') {
      throw new TypeError(
        `${where}: typecode '${typecode}' is 64-bit and needs a BigInt (e.g. ${typeof value === 'number' && Number.isInteger(value) ? `${value}n` : '5n'}), got ${describe(value)}`,
      );
    }
  } else if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: typecode '${typecode}' needs an integer, got ${describe(value)}`);
  }
  if ((value as number | bigint) < code.min || (value as number | bigint) > code.max) {
    throw new OverflowError(
      `${where}: ${String(value)} is out of range for typecode '${typecode}' (${code.min} to ${code.max})`,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value}` : `the float ${value}`;
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  if (value === null) return 'null';
  return typeof value;
}
