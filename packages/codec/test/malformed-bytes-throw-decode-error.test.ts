import { DecodeError, decode, encode } from '@weft/codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const sample = {
  n: [1, -2, 3.5, 2n ** 80n],
  s: 'héllo wörld',
  m: new Map([[1, new Set(['a'])]]),
  d: new Date(1),
  r: /x/g,
  t: new Float32Array([1, 2, 3]),
  e: new TypeError('boom'),
  u: '\ud800',
  o: { deep: { deeper: [null, undefined, true] } },
};

function decodeOutcome(bytes: Uint8Array): 'ok' | 'DecodeError' {
  try {
    decode(bytes, { bufferTimeout: 0 });
    return 'ok';
  } catch (error) {
    if (error instanceof DecodeError) return 'DecodeError';
    throw error;
  }
}

describe('malformed bytes throw DecodeError', () => {
  it('every truncation of valid bytes', () => {
    const bytes = encode(sample);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decode(bytes.subarray(0, length))).toThrow(DecodeError);
    }
  });

  it('trailing bytes after the value', () => {
    const bytes = encode([1, 2]);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decode(longer)).toThrow(/bytes left after the value/);
  });

  it('unknown tags, huge lengths, bad references', () => {
    expect(() => decode(new Uint8Array([0xff]))).toThrow(/unknown tag 0xff/);
    expect(() => decode(new Uint8Array([0x07, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/beyond the end/);
    expect(() => decode(new Uint8Array([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))).toThrow(
      DecodeError,
    );
    expect(() => decode(new Uint8Array([0x09, 0x01, 0x1b, 0x05]))).toThrow(/not yet seen/);
    expect(() => decode(new Uint8Array([0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/beyond the end/);
    expect(() => decode(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x1d]))).toThrow(DecodeError);
    expect(() => decode(new Uint8Array([0x0d, 0x07, 0x01, 0x28, 0x07, 0x00]))).toThrow(
      /invalid regular expression/,
    );
  });

  it('a view that does not fit its buffer or is misaligned', () => {
    const bytes = encode(new Float64Array(2));
    // VIEW, kind, ARRAY_BUFFER, length 16, 16 bytes, offset, length
    const offsetAt = bytes.length - 2;
    const misaligned = bytes.slice();
    misaligned[offsetAt] = 3;
    expect(() => decode(misaligned)).toThrow(/bounds or misaligned/);
    const tooLong = bytes.slice();
    tooLong[offsetAt + 1] = 9;
    expect(() => decode(tooLong)).toThrow(/bounds or misaligned/);
  });

  it('deeply nested bytes', () => {
    const depth = 500_000;
    const bytes = new Uint8Array(depth * 2 + 1);
    for (let i = 0; i < depth; i++) {
      bytes[2 * i] = 0x09;
      bytes[2 * i + 1] = 0x01;
    }
    expect(() => decode(bytes)).toThrow(/nested too deeply|unexpected end/);
  });

  it('random corruption of valid bytes either decodes or throws DecodeError', () => {
    const bytes = encode(sample);
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(bytes.length - 1), byte: fc.nat(255) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (changes) => {
          const corrupt = bytes.slice();
          for (const { at, byte } of changes) corrupt[at] = byte;
          expect(['ok', 'DecodeError']).toContain(decodeOutcome(corrupt));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes either decode or throw DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(['ok', 'DecodeError']).toContain(decodeOutcome(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('an unknown shared buffer fails at once with bufferTimeout 0', () => {
    const bytes = encode(new SharedArrayBuffer(8));
    bytes[1] = (bytes[1]! + 1) & 0xff;
    expect(() => decode(bytes, { bufferTimeout: 0 })).toThrow(/no thread answered within 0 ms/);
  });

  it('non-Uint8Array input and bad ranges are caller errors', () => {
    expect(() => decode([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => decode(new Uint8Array(4), 3, 2)).toThrow(RangeError);
  });
});
