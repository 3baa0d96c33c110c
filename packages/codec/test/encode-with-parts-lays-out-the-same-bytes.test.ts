import { decode, type EncodedParts, encode, encodeWithParts } from '@weft/codec';
import { describe, expect, it } from 'vitest';

/** Fills `n` bytes with a pattern that differs at every offset within 251 bytes. */
function pattern(n: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + seed) % 251;
  return bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What encodeWithParts hands over, as [which callback, the bytes it would lay out at `offset`]. */
/** (`parts` is valid only during the call: its bulkOffset is read there.) */
function layOut(value: unknown, offset: number): ['bytes' | 'parts', Uint8Array, number] {
  return encodeWithParts<['bytes' | 'parts', Uint8Array, number]>(
    value,
    (bytes) => ['bytes', bytes.slice(), -1],
    (parts: EncodedParts) => {
      const target = new Uint8Array(offset + parts.length + 5).fill(0xee);
      const runs: number[] = [];
      parts.writeTo(target, offset, (to, at, source) => {
        runs.push(source.length);
        to.set(source, at);
      });
      expect(target.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
      expect(target.subarray(offset + parts.length).every((b) => b === 0xee)).toBe(true);
      expect(runs.reduce((a, b) => a + b, 0)).toBe(parts.length);
      return ['parts', target.slice(offset, offset + parts.length), parts.bulkOffset];
    },
  );
}

describe('encodeWithParts', () => {
  it('hands a small message over as bytes, identical to encode', () => {
    for (const value of [42, 'hello', [42, null, 'hello'], { a: new Uint8Array(100) }]) {
      const [kind, bytes] = layOut(value, 0);
      expect(kind).toBe('bytes');
      expect(sameBytes(bytes, encode(value))).toBe(true);
    }
  });

  it('lays out a message with large buffers, at any offset, exactly as encode does', () => {
    const big = pattern(1 << 20, 1);
    const values: unknown[] = [
      big,
      new Float64Array(pattern(80_000, 2).buffer),
      { head: 'x', first: pattern(5000, 3), second: pattern(70_001, 4), tail: [1, 2, 3] },
      [pattern(4096, 5), 'between', new DataView(pattern(9000, 6).buffer, 7, 8000)],
      new Uint8Array(pattern(100_000, 7).buffer, 13, 60_000),
    ];
    for (const value of values) {
      for (const offset of [0, 1, 7, 8, 4093]) {
        const [kind, bytes] = layOut(value, offset);
        expect(kind).toBe('parts');
        expect(sameBytes(bytes, encode(value))).toBe(true);
      }
    }
  });

  it('points bulkOffset at the largest buffer’s contents', () => {
    const second = pattern(70_001, 9);
    const [, bytes, at] = layOut({ first: pattern(5000, 8), second }, 0);
    expect(sameBytes(bytes.subarray(at, at + second.length), second)).toBe(true);
  });

  it('decodes to copies that own their memory', () => {
    const value = { data: pattern(200_000, 10), label: 'n' };
    const [, bytes] = layOut(value, 0);
    const decoded = decode(bytes) as { data: Uint8Array; label: string };
    expect(decoded.label).toBe('n');
    expect(sameBytes(decoded.data, value.data)).toBe(true);
    bytes.fill(0);
    expect(sameBytes(decoded.data, value.data)).toBe(true);
  });

  it('rejects a target too small, and throws DataCloneError as encode does', () => {
    expect(() =>
      encodeWithParts(
        pattern(10_000, 11),
        () => undefined,
        (parts) => parts.writeTo(new Uint8Array(parts.length - 1), 0),
      ),
    ).toThrow(RangeError);
    expect(() =>
      encodeWithParts(
        { big: pattern(10_000, 12), f: () => {} },
        () => undefined,
        () => undefined,
      ),
    ).toThrow(/is a function/);
  });
});
