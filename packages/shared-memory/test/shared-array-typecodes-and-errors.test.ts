import { RLock } from '@weft/lock';
import {
  IndexError,
  OverflowError,
  RawSharedArray,
  SharedArray,
  SynchronizedSharedArray,
  ValueError,
} from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';

describe('SharedArray and RawSharedArray', () => {
  it("Array('i', range(10)) negated in place, as in the notes", () => {
    const arr = new SharedArray(
      'i',
      Array.from({ length: 10 }, (_, i) => i),
    );
    for (let i = 0; i < arr.length; i++) arr.array[i] = -arr.array[i]!;
    expect(arr.toArray()).toEqual([0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect([...arr]).toEqual(arr.toArray());
  });

  it('a length gives zeros; 64-bit codes give BigInt zeros', () => {
    expect(new SharedArray('d', 3).toArray()).toEqual([0, 0, 0]);
    expect(new RawSharedArray('q', 2).toArray()).toEqual([0n, 0n]);
    expect(new RawSharedArray('B', 0).length).toBe(0);
  });

  it('get/set check index (negative from the end), type and range', () => {
    const arr = new SharedArray('h', [1, 2, 3]);
    expect(arr.get(-1)).toBe(3);
    arr.set(0, -5);
    expect(arr.get(0)).toBe(-5);
    expect(() => arr.get(3)).toThrow(IndexError);
    expect(() => arr.set(-4, 1)).toThrow(IndexError);
    expect(() => arr.set(1, 70_000)).toThrow(OverflowError);
    expect(() => arr.set(1, 0.5)).toThrow(TypeError);
    expect(arr.toArray()).toEqual([-5, 2, 3]);
  });

  it('bad initial values name the element; unknown typecodes and bad lengths are ValueErrors', () => {
    expect(() => new SharedArray('B', [1, 2, 300])).toThrow(/element 2: 300 is out of range/);
    expect(() => new SharedArray('Q', [1n, 2 as unknown as bigint])).toThrow(TypeError);
    expect(() => new SharedArray('z' as 'i', 3)).toThrow(ValueError);
    expect(() => new SharedArray('i', -1)).toThrow(ValueError);
    expect(() => new SharedArray('i', 'abc' as unknown as number)).toThrow(TypeError);
  });

  it('lock option as for Value: RLock by default, lock: false gives a RawSharedArray', () => {
    const arr = new SharedArray('i', 4);
    expect(arr).toBeInstanceOf(SynchronizedSharedArray);
    expect(arr.getLock()).toBeInstanceOf(RLock);
    const raw = new SharedArray('i', 4, { lock: false });
    expect(raw).toBeInstanceOf(RawSharedArray);
    expect('getLock' in raw).toBe(false);
  });

  it('rebuilds from its handle over the same memory', () => {
    const arr = new SharedArray('f', [1, 2]);
    const twin = SharedArray.fromHandle<'f'>(arr.toHandle());
    twin.array[1] = 7;
    expect(arr.toArray()).toEqual([1, 7]);
    expect(twin).toBeInstanceOf(SynchronizedSharedArray);
  });
});
