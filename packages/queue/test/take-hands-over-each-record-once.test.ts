import { ByteRing, TAKE_CLOSED, TAKE_EMPTY } from '@weft/queue';
import { describe, expect, it } from 'vitest';

/** Bytes that say which record they are: byte i is (id + i) & 255. */
function record(id: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (id + i) & 255;
  return bytes;
}

function isRecord(bytes: Uint8Array, id: number, size: number): boolean {
  if (bytes.length !== size) return false;
  for (let i = 0; i < size; i++) if (bytes[i] !== ((id + i) & 255)) return false;
  return true;
}

const forever = { block: true, timeout: undefined };

describe('tryTake / takeSync / takeAsync', () => {
  it('hand over records of 0 B to 6 MB in order, intact, as views valid during the take (scratch memory, or the ring itself from 32 KB)', () => {
    const ring = ByteRing.create({ initialCapacity: 64 });
    const sizes = [
      0,
      1,
      3,
      63,
      64,
      65,
      4096,
      100_000,
      1 << 20,
      4 * 1024 * 1024,
      4 * 1024 * 1024 + 1,
      6_000_000,
      5,
    ];
    sizes.forEach((size, id) => {
      ring.tryPush(record(id, size));
    });
    const owned: boolean[] = [];
    sizes.forEach((size, id) => {
      const ok = ring.takeSync(forever, (bytes, flagged, isOwned) => {
        owned.push(isOwned);
        return !flagged && isRecord(bytes, id, size);
      });
      expect(ok).toBe(true);
    });
    expect(owned).toEqual(sizes.map(() => false));
    expect(ring.tryTake(() => 'never')).toBe(TAKE_EMPTY);
    ring.close();
    expect(ring.tryTake(() => 'never')).toBe(TAKE_CLOSED);
  });

  it('pass the flag a record was pushed with', () => {
    const ring = ByteRing.create();
    ring.tryPush(record(1, 10), false, undefined, true);
    ring.tryPush(record(2, 10));
    expect(ring.tryTake((_bytes, flagged) => flagged)).toBe(true);
    expect(ring.tryTake((_bytes, flagged) => flagged)).toBe(false);
  });

  it('give a take inside a take an array of its own, leaving the outer view intact', () => {
    const outer = ByteRing.create();
    const inner = ByteRing.create();
    outer.tryPush(record(1, 1000));
    inner.tryPush(record(2, 1000));
    const result = outer.tryTake((bytes, _flagged, owned) => {
      const nested = inner.tryTake((innerBytes, _f, innerOwned) => ({
        owned: innerOwned,
        intact: isRecord(innerBytes, 2, 1000),
      }));
      return { owned, nested, intact: isRecord(bytes, 1, 1000) };
    });
    expect(result).toEqual({ owned: false, nested: { owned: true, intact: true }, intact: true });
  });

  it('pop the record even when the taker throws', () => {
    const ring = ByteRing.create();
    ring.tryPush(record(1, 10));
    ring.tryPush(record(2, 20));
    expect(() =>
      ring.tryTake(() => {
        throw new Error('taker failed');
      }),
    ).toThrow('taker failed');
    expect(ring.count()).toBe(1);
    expect(ring.tryTake((bytes) => isRecord(bytes, 2, 20))).toBe(true);
  });

  it('let two waiting takeAsync calls in one thread each get their own record', async () => {
    const ring = ByteRing.create();
    const copy = (bytes: Uint8Array) => Array.from(bytes);
    const first = ring.takeAsync(forever, copy);
    const second = ring.takeAsync(forever, copy);
    await new Promise((resolve) => setTimeout(resolve, 20));
    ring.tryPush(record(1, 100));
    ring.tryPush(record(2, 100));
    const got = [await first, await second];
    const expected = [Array.from(record(1, 100)), Array.from(record(2, 100))];
    expect(got.sort()).toEqual(expected.sort());
  });

  it('give up after the timeout, not before', () => {
    const ring = ByteRing.create();
    const start = performance.now();
    expect(ring.takeSync({ block: true, timeout: 30 }, () => 'never')).toBe(TAKE_EMPTY);
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    expect(ring.takeSync({ block: false, timeout: undefined }, () => 'never')).toBe(TAKE_EMPTY);
  });
});
