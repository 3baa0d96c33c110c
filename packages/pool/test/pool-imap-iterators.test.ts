import { Pool, TimeoutError } from '@weft/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { countTo, fail, slowDouble, square } from './fixtures/tasks.mjs';

const pool = new Pool(2);
afterAll(() => pool.terminate());

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterator) out.push(value);
  return out;
}

describe('imap and imapUnordered', () => {
  it('imap yields results in order, with any chunksize', async () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    expect(await collect(pool.imap(square, xs))).toEqual(xs.map((x) => x * x));
    expect(await collect(pool.imap(square, xs, 7))).toEqual(xs.map((x) => x * x));
  });

  it('imapUnordered yields every result once', async () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const got = await collect(pool.imapUnordered(square, xs, 3));
    expect(got.sort((a, b) => a - b)).toEqual(xs.map((x) => x * x));
  });

  it('next(timeout) throws TimeoutError when no result is ready, then goes on', async () => {
    const it = pool.imap(slowDouble, [1, 2], 1);
    await expect(it.next(1)).rejects.toThrow(TimeoutError);
    expect(await it.next()).toEqual({ done: false, value: 2 });
    expect(await it.next()).toEqual({ done: false, value: 4 });
    expect((await it.next()).done).toBe(true);
  });

  it('an input that throws part-way yields the results before it, then its error', async () => {
    const it = pool.imap(square, countTo(10, 5), 2);
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const value of it) got.push(value);
      })(),
    ).rejects.toThrow('input failed at 5');
    expect(got).toEqual([0, 1, 4, 9, 16]);
  });

  it('a failing item throws at its place; later items still come', async () => {
    const it = pool.imap(fail, ['a'], 1);
    await expect(it.next()).rejects.toThrow('a');
    expect((await it.next()).done).toBe(true);
  });

  it('reads an endless input lazily', async () => {
    function* naturals() {
      for (let i = 0; ; i++) yield i;
    }
    const it = pool.imap(square, naturals(), 1);
    const first: number[] = [];
    for (let i = 0; i < 5; i++) first.push((await it.next()).value as number);
    expect(first).toEqual([0, 1, 4, 9, 16]);
  });
});
