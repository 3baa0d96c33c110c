import { encode, encodeWithParts } from '@weft/codec';
import { ByteRing } from '@weft/queue';
import { describe, expect, it } from 'vitest';

const MB = 1 << 20;

/** Bytes that say which record they are: byte i is (id * 31 + i * 7) & 255. */
function record(id: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (id * 31 + i * 7) & 255;
  return bytes;
}

function isRecord(bytes: Uint8Array, id: number, size: number): boolean {
  if (bytes.length !== size) return false;
  for (let i = 0; i < size; i++) if (bytes[i] !== ((id * 31 + i * 7) & 255)) return false;
  return true;
}

const forever = { block: true, timeout: undefined };

// A large record is handed to its taker as a view of the ring's own memory: no push may reuse that
// memory until the taker returns, however the ring wraps, opens segments, grows or compacts meanwhile.
describe('large records read in place', () => {
  it('stay intact while pushes made during the take wrap the ring around them', () => {
    const ring = ByteRing.create({ initialCapacity: 4 * MB });
    ring.tryPush(record(0, MB));
    let taken = 1;
    const inner: boolean[] = [];
    const outcome = ring.takeSync(forever, (bytes) => {
      // Enough records to come back to offset 0, where the record being read lies.
      for (let id = 1; id <= 6; id++) {
        ring.tryPush(record(id, MB));
        if (id % 2 === 0) {
          const oldest = taken++;
          inner.push(ring.tryTake((later) => isRecord(later, oldest, MB)) === true);
        }
      }
      return isRecord(bytes, 0, MB);
    });
    expect(outcome).toBe(true);
    expect(inner).toEqual([true, true, true]);
    // Everything pushed during the take is still there, in order.
    for (const id of [4, 5, 6]) expect(ring.takeSync(forever, (bytes) => isRecord(bytes, id, MB))).toBe(true);
    expect(ring.count()).toBe(0);
  });

  it('stay intact while a compaction moves every other record (2 segments)', () => {
    const ring = ByteRing.create({ initialCapacity: 256 * 1024, maxSegments: 2 });
    const size = 40_000;
    let next = 0;
    let expected = 0;
    for (; next < 5; next++) ring.tryPush(record(next, size));
    const nested: boolean[] = [];
    const outer = ring.takeSync(forever, (bytes) => {
      expected++;
      // Pushes and takes of every kind while the first record is held: segments fill, the ring grows and compacts.
      for (let round = 0; round < 40; round++) {
        for (let k = 0; k < 3; k++) ring.tryPush(record(next++, size));
        nested.push(ring.takeSync(forever, (later) => isRecord(later, expected, size)) === true);
        expected++;
      }
      return isRecord(bytes, 0, size);
    });
    expect(outer).toBe(true);
    expect(nested.every(Boolean)).toBe(true);
    while (expected < next) {
      const id = expected++;
      expect(ring.takeSync(forever, (bytes) => isRecord(bytes, id, size))).toBe(true);
    }
  });

  it('takes nested deeper than the hold slots each get intact bytes (the innermost a copy)', () => {
    const ring = ByteRing.create();
    for (let id = 0; id < 5; id++) ring.tryPush(record(id, 100_000 + id));
    const take = (depth: number): boolean[] =>
      ring.takeSync(forever, (bytes) => {
        const inner = depth < 4 ? take(depth + 1) : [];
        for (let id = 10 * depth; id < 10 * depth + 3; id++) ring.tryPush(record(id + 100, 100_000));
        return [isRecord(bytes, depth, 100_000 + depth), ...inner];
      }) as boolean[];
    expect(take(0)).toEqual([true, true, true, true, true]);
  });

  it('reuse their memory once taken: a steady stream does not grow the ring without bound', () => {
    const ring = ByteRing.create();
    for (let id = 0; id < 200; id++) {
      ring.tryPush(record(id & 7, MB));
      expect(ring.takeSync(forever, (bytes) => isRecord(bytes, id & 7, MB))).toBe(true);
    }
    expect(ring.capacityBytes()).toBeLessThanOrEqual(8 * MB);
  });

  it('tryPushParts writes an encoding straight into a record: it decodes like the contiguous one', () => {
    for (const order of ['fifo', 'lifo'] as const) {
      const ring = ByteRing.create({ order });
      const values = [
        new Uint8Array(70_001).fill(9),
        { a: record(1, 50_000), b: 'text', c: new Float64Array(9000).fill(1.5) },
        [record(2, 4096), record(3, 5000).subarray(3, 4000)],
      ];
      for (const value of values) {
        encodeWithParts(
          value,
          (bytes) => ring.tryPush(bytes),
          (parts) => ring.tryPushParts(parts),
        );
      }
      const got = values.map(() =>
        ring.takeSync(forever, (bytes) => Buffer.from(bytes).toString('base64'), false),
      );
      const want = values.map((value) => Buffer.from(encode(value)).toString('base64'));
      expect(order === 'lifo' ? got.reverse() : got).toEqual(want);
    }
  });
});
