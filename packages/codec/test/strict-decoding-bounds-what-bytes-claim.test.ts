/**
 * A few bytes must not claim gigabytes: a resizable buffer's maxByteLength (V8 reserves it up front)
 * and a sparse array's length are bounded, in strict decoding by the size of the input.
 */
import {
  DataCloneError,
  DecodeError,
  decode,
  decodeStrict,
  encode,
  MAX_RESIZABLE_BYTE_LENGTH,
  STRICT_RESERVE_ALLOWANCE,
  STRICT_SPARSE_ALLOWANCE,
} from '@weft/codec';
import { describe, expect, it } from 'vitest';

/** RESIZABLE_BUFFER of `length` zero bytes that may grow to `max`. */
function resizable(length: number, max: number): Uint8Array {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
    return out;
  };
  return new Uint8Array([0x11, ...varint(length), ...varint(max), ...new Array(length).fill(0)]);
}

describe('what bytes may claim', () => {
  it('7 bytes cannot reserve 4 GiB, in either mode', () => {
    const bomb = resizable(0, 2 ** 32);
    expect(bomb.length).toBe(7);
    expect(() => decode(bomb)).toThrow(DecodeError);
    expect(() => decode(bomb)).toThrow(/over the limit of 1073741824/);
    expect(() => decodeStrict(bomb)).toThrow(DecodeError);
  });

  it('encode refuses a resizable buffer above the limit instead of sending what decode refuses', () => {
    expect(MAX_RESIZABLE_BYTE_LENGTH).toBe(2 ** 30);
    const big = new ArrayBuffer(1, { maxByteLength: MAX_RESIZABLE_BYTE_LENGTH + 1 });
    expect(() => encode({ big })).toThrow(DataCloneError);
    expect(() => encode({ big })).toThrow(/value\.big is a resizable ArrayBuffer whose maxByteLength/);
    const fine = new ArrayBuffer(1, { maxByteLength: 1 << 20 });
    expect((decode(encode(fine)) as ArrayBuffer).maxByteLength).toBe(1 << 20);
  });

  it('strict: room to grow is bounded by the input size', () => {
    expect(STRICT_RESERVE_ALLOWANCE).toBe(64 * 1024);
    expect((decodeStrict(resizable(0, 4096)) as ArrayBuffer).maxByteLength).toBe(4096);
    expect(() => decodeStrict(resizable(0, 1 << 20))).toThrow(/room to grow of 1048576/);
    // Bytes that are there count: a 100 KiB buffer may grow by 64 Ki plus its own size.
    const length = 100 * 1024;
    const max = length + STRICT_RESERVE_ALLOWANCE + length;
    expect((decodeStrict(resizable(length, max)) as ArrayBuffer).maxByteLength).toBe(max);
    expect(() => decodeStrict(resizable(length, max + 64))).toThrow(DecodeError);
    // The budget is per value, not per buffer: many small claims add up.
    const many = Array.from({ length: 64 }, () => new ArrayBuffer(0, { maxByteLength: 4096 }));
    expect(() => decodeStrict(encode(many))).toThrow(/room to grow/);
    expect(decode(encode(many))).toHaveLength(64);
  });

  it('strict: a sparse array cannot stand for billions of elements', () => {
    const huge: unknown[] = [];
    huge.length = 2 ** 32 - 1;
    huge[7] = 'x';
    const bytes = encode(huge);
    expect(bytes.length).toBeLessThan(16);
    expect((decode(bytes) as unknown[]).length).toBe(2 ** 32 - 1);
    expect(() => decodeStrict(bytes)).toThrow(/sparse array length of 4294967295/);
    // At most one element per input byte, plus 1024: what a dense array of holes would cost.
    const modest: unknown[] = [];
    modest.length = STRICT_SPARSE_ALLOWANCE;
    expect((decodeStrict(encode(modest)) as unknown[]).length).toBe(1024);
    const longer: unknown[] = [];
    longer.length = 50_000;
    expect(() => decodeStrict(encode(longer))).toThrow(/sparse array length of 50000/);
    // Many sparse arrays share one budget.
    const many = Array.from({ length: 4 }, () => Object.assign([], { length: 400 }));
    expect(() => decodeStrict(encode(many))).toThrow(/sparse array length/);
  });
});
