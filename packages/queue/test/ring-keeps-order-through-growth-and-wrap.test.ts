import { ByteRing, EMPTY, PUSHED, TAKE_EMPTY } from '@weft/queue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Record bytes that say which push they came from, so that order and content can be checked. */
function record(id: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (id + i) & 255;
  if (size >= 4) new DataView(bytes.buffer).setUint32(0, id);
  return bytes;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const operations = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ push: fc.nat({ max: 1000 }) }) },
    { weight: 1, arbitrary: fc.record({ push: fc.nat({ max: 20_000 }) }) },
    { weight: 3, arbitrary: fc.constant({ pop: 'copy' as const }) },
    { weight: 3, arbitrary: fc.constant({ pop: 'take' as const }) },
  ),
  { maxLength: 300 },
);

describe('the byte ring matches a model queue', () => {
  for (const order of ['fifo', 'lifo'] as const) {
    it(`${order}: any interleaving of pushes (0 B to 20 KB), pops and takes, growing past wrapped records`, () => {
      fc.assert(
        fc.property(operations, (ops) => {
          // A tiny ring so that records wrap and the ring grows while wrapped.
          const ring = ByteRing.create({ order, initialCapacity: 64 });
          const model: Uint8Array[] = [];
          let id = 0;
          for (const op of ops) {
            if ('push' in op) {
              const bytes = record(id++, op.push);
              expect(ring.tryPush(bytes)).toBe(PUSHED);
              model.push(bytes);
            } else {
              const expected = order === 'fifo' ? model.shift() : model.pop();
              if (op.pop === 'copy') {
                const got = ring.tryPop();
                if (expected === undefined) expect(got).toBe(EMPTY);
                else expect(got).toEqual(expected);
              } else {
                // The scratch view is valid only during the call: compare inside it.
                const got = ring.tryTake((bytes) => expected !== undefined && equalBytes(bytes, expected));
                expect(got).toBe(expected === undefined ? TAKE_EMPTY : true);
              }
            }
            expect(ring.count()).toBe(model.length);
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('sorted: pops in order of a comparator, equal keys first-in first-out', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.record({ key: fc.nat({ max: 20 }), size: fc.nat({ max: 2000 }) }), fc.constant(null)),
          {
            maxLength: 200,
          },
        ),
        (ops) => {
          const ring = ByteRing.create({ order: 'sorted', initialCapacity: 64 });
          const model: { key: number; id: number }[] = [];
          let id = 0;
          for (const op of ops) {
            if (op) {
              const bytes = record(id, Math.max(8, op.size));
              new DataView(bytes.buffer).setUint32(4, op.key);
              const key = op.key;
              ring.tryPush(
                bytes,
                false,
                (existing) => key < new DataView(existing.buffer, existing.byteOffset).getUint32(4),
              );
              model.push({ key, id: id++ });
              model.sort((a, b) => a.key - b.key || a.id - b.id);
            } else {
              const expected = model.shift();
              const got = ring.tryPop();
              if (expected === undefined) expect(got).toBe(EMPTY);
              else {
                const view = new DataView((got as Uint8Array).buffer);
                expect([view.getUint32(0), view.getUint32(4)]).toEqual([expected.id, expected.key]);
              }
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
