import { decode, encode } from '@weft/codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function roundTrip<T>(value: T): T {
  return decode(encode(value)) as T;
}

const anythingStructuredCloneAccepts = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});

const viewConstructors = [
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
] as const;

/** A typed array or DataView somewhere inside a larger buffer, with random bytes. */
const viewInsideBuffer = fc
  .record({
    kind: fc.integer({ min: 0, max: viewConstructors.length }),
    bytes: fc.uint8Array({ minLength: 0, maxLength: 96 }),
    start: fc.nat(12),
    count: fc.nat(8),
  })
  .map(({ kind, bytes, start, count }) => {
    const buffer = new ArrayBuffer(bytes.length + 12 * 8 + 8 * 8);
    new Uint8Array(buffer).set(bytes);
    if (kind === viewConstructors.length) return new DataView(buffer, start, count);
    const Constructor = viewConstructors[kind]!;
    return new Constructor(buffer, start * Constructor.BYTES_PER_ELEMENT, count);
  });

describe('round trip matches structuredClone', () => {
  it('for anything structuredClone accepts', () => {
    fc.assert(
      fc.property(anythingStructuredCloneAccepts, (value) => {
        expect(roundTrip(value)).toStrictEqual(structuredClone(value));
      }),
      { numRuns: 1500 },
    );
  });

  it('for typed arrays and DataViews at any offset of a larger buffer', () => {
    fc.assert(
      fc.property(viewInsideBuffer, (view) => {
        const decoded = roundTrip(view);
        const cloned = structuredClone(view);
        expect(decoded).toStrictEqual(cloned);
        expect(decoded.byteOffset).toBe(cloned.byteOffset);
        expect(decoded.buffer.byteLength).toBe(cloned.buffer.byteLength);
        expect(new Uint8Array(decoded.buffer)).toStrictEqual(new Uint8Array(cloned.buffer));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps which parts of a value are the same object', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.object({ maxDepth: 1 }), fc.array(fc.integer()), fc.constant(new Map([[1, 2]]))),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        (objects, picks) => {
          const value = picks.map((pick) => objects[pick % objects.length]);
          const decoded = roundTrip(value);
          const cloned = structuredClone(value);
          expect(decoded).toStrictEqual(cloned);
          for (let i = 0; i < value.length; i++) {
            for (let j = 0; j < value.length; j++) {
              expect(decoded[i] === decoded[j]).toBe(value[i] === value[j]);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('for strings of any code units, including lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(roundTrip(a)).toBe(a);
        expect(roundTrip(b)).toBe(b);
        expect(roundTrip({ [a]: b })).toStrictEqual({ [a]: b });
      }),
      { numRuns: 1000 },
    );
  });

  it('for numbers and bigints of every size', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.integer(),
        fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
        (d, i, b) => {
          expect(Object.is(roundTrip(d), d)).toBe(true);
          expect(roundTrip(i)).toBe(i);
          expect(roundTrip(b)).toBe(b);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
