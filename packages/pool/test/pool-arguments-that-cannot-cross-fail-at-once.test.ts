import { Pool } from '@weft/pool';
import { Queue } from '@weft/queue';
import { afterAll, describe, expect, it } from 'vitest';
import { add, square } from './fixtures/tasks.mjs';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe.each(['thread', 'process'] as const)('Pool in the %s context', (context) => {
  const pool = new Pool(2, { context });
  afterAll(() => pool.terminate());

  it('applyAsync throws DataCloneError at once, naming the path in args', () => {
    const error = thrown(() => pool.applyAsync(add, [1, { cb: () => 1 } as never]));
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toBe('args[1].cb is a function');
  });

  it('apply rejects at once with the path; nothing was queued, the pool goes on', async () => {
    await expect(pool.apply(add, [1, (() => 1) as never])).rejects.toThrow(/^args\[1\] is a function$/);
    await expect(pool.apply(add, [1, 2])).resolves.toBe(3);
  });

  it('submit (the engine API) throws at once', () => {
    expect(() => pool.submit(add, [Symbol('s') as never, 2])).toThrow(/^args\[0\] is a symbol$/);
  });

  it('a weft primitive beside the bad value does not hide it', () => {
    const queue = new Queue<number>();
    const error = thrown(() => pool.applyAsync(add, [queue as never, { f: () => 1 } as never]));
    expect(error.message).toBe('args[1].f is a function');
  });

  it('map and starmap reject at once naming the item by its place in the whole input', async () => {
    const xs: unknown[] = Array.from({ length: 20 }, (_, i) => i);
    xs[13] = { f: () => 1 };
    await expect(pool.map(square, xs as number[], 3)).rejects.toThrow(/^iterable\[13\]\.f is a function$/);
    await expect(pool.map(square, xs as number[])).rejects.toThrow(/^iterable\[13\]\.f is a function$/);
    await expect(
      pool.starmap(add, [
        [1, 2],
        [3, (() => 4) as never],
      ]),
    ).rejects.toThrow(/^iterable\[1\]\[1\] is a function$/);
    expect(() => pool.mapAsync(square, xs as number[])).toThrow(/^iterable\[13\]\.f is a function$/);
    await expect(pool.map(square, [1, 2, 3])).resolves.toEqual([1, 4, 9]);
  });

  it('imap yields the results before the bad item, then its error (by its place in the input)', async () => {
    const xs: unknown[] = [1, 2, () => 3, 4];
    const it = pool.imap(square, xs as number[]);
    expect((await it.next()).value).toBe(1);
    expect((await it.next()).value).toBe(4);
    await expect(it.next()).rejects.toThrow(/^iterable\[2\] is a function$/);
  });
});
