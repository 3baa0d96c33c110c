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

  for (const maxSegments of [2, 3, 4]) {
    it(`fifo in at most ${maxSegments} segments: large and unaligned records, compaction, bounded growth`, () => {
      const bigOperations = fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ push: fc.nat({ max: 600 }), skew: fc.nat({ max: 7 }) }) },
          {
            weight: 1,
            arbitrary: fc.record({
              push: fc.integer({ min: 30_000, max: 80_000 }),
              skew: fc.nat({ max: 7 }),
            }),
          },
          { weight: 4, arbitrary: fc.constant({ pop: 'take' as const }) },
          // A take that pushes while it holds the record it was handed (a large one is read in place).
          {
            weight: 2,
            arbitrary: fc.record({
              pop: fc.constant('take-and-push' as const),
              pushes: fc.array(fc.nat({ max: 50_000 }), { maxLength: 3 }),
            }),
          },
          // A take inside a take: the inner one gets the next record while the outer holds its own.
          { weight: 1, arbitrary: fc.constant({ pop: 'take-in-take' as const }) },
        ),
        { maxLength: 300 },
      );
      fc.assert(
        fc.property(bigOperations, (ops) => {
          const ring = ByteRing.create({ initialCapacity: 64, maxSegments });
          const model: Uint8Array[] = [];
          let id = 0;
          let peakBytes = 0;
          for (const op of ops) {
            if ('push' in op) {
              // A view at an offset of 0 to 7 bytes: records are 8-aligned in the ring, sources need not be.
              const bytes = record(id++, op.push);
              const view = new Uint8Array(bytes.length + op.skew).subarray(op.skew);
              view.set(bytes);
              expect(ring.tryPush(view)).toBe(PUSHED);
              model.push(bytes);
            } else {
              const expected = model.shift();
              const got = ring.tryTake((bytes) => {
                if (op.pop === 'take-and-push') {
                  for (const size of op.pushes) {
                    const pushed = record(id++, size);
                    expect(ring.tryPush(pushed)).toBe(PUSHED);
                    model.push(pushed);
                  }
                }
                if (op.pop === 'take-in-take') {
                  const next = model.shift();
                  const inner = ring.tryTake(
                    (innerBytes) => next !== undefined && equalBytes(innerBytes, next),
                  );
                  expect(inner).toBe(next === undefined ? TAKE_EMPTY : true);
                }
                // Compared after those pushes: they must not have overwritten the record being taken.
                return expected !== undefined && equalBytes(bytes, expected);
              });
              expect(got).toBe(expected === undefined ? TAKE_EMPTY : true);
            }
            expect(ring.count()).toBe(model.length);
            // Each record costs its bytes and at most 19 more (length words and padding).
            peakBytes = Math.max(
              peakBytes,
              model.reduce((sum, bytes) => sum + bytes.length + 19, 0),
            );
            // Segments never make the ring hold more than a few times its peak contents.
            expect(ring.capacityBytes()).toBeLessThanOrEqual(Math.max(64, 8 * peakBytes));
          }
        }),
        { numRuns: 40 },
      );
    });
  }

  it('fifo: a wrapped ring that fills up with no segment left compacts its records in order', () => {
    // 256 bytes of data area; a 12-byte item takes a 24-byte record.
    const ring = ByteRing.create({ initialCapacity: 256, maxSegments: 2 });
    let pushed = 0;
    let popped = 0;
    const push = () => expect(ring.tryPush(record(pushed++, 12))).toBe(PUSHED);
    const pop = () => expect(ring.tryPop()).toEqual(record(popped++, 12));
    for (let i = 0; i < 10; i++) push(); // bytes 0-240
    for (let i = 0; i < 5; i++) pop(); // the oldest now starts at 120
    for (let i = 0; i < 5; i++) push(); // the 11th wraps to a second segment at 0, the 15th ends at 120
    expect(ring.capacityBytes()).toBe(256);
    push(); // no room before the oldest and no third segment: the records move, in order, past the end
    expect(ring.capacityBytes()).toBe(1024);
    push();
    while (popped < pushed) pop();
    expect(ring.tryPop()).toBe(EMPTY);
  });

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
