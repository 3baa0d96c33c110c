import { isMainThread } from 'node:worker_threads';
import { Pool, TimeoutError, ValueError } from '@weft/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { fail, slowDouble, square } from './fixtures/tasks.mjs';

const pool = new Pool(2);
afterAll(() => pool.terminate());

describe('AsyncResult', () => {
  it('get() returns the value; the result is awaitable', async () => {
    const result = pool.applyAsync(square, [10]);
    expect(await result.get(60_000)).toBe(100);
    expect(await pool.applyAsync(square, [3])).toBe(9);
    expect(result.ready()).toBe(true);
    expect(result.successful()).toBe(true);
  });

  it('get(timeout) throws TimeoutError when the task is slower, and the task goes on', async () => {
    const result = pool.applyAsync(slowDouble, [21, 1500]);
    await expect(result.get(1)).rejects.toThrow(TimeoutError);
    expect(result.ready()).toBe(false);
    expect(() => result.successful()).toThrow(ValueError);
    expect(await result.get()).toBe(42);
  });

  it('wait(timeout) reports readiness without throwing', async () => {
    const result = pool.applyAsync(slowDouble, [1, 1500]);
    expect(await result.wait(1)).toBe(false);
    expect(await result.wait()).toBe(true);
    expect(result.successful()).toBe(true);
  });

  it('callbacks run on the main thread', async () => {
    const seen: unknown[] = [];
    const ok = pool.applyAsync(square, [4], {
      callback: (value) => seen.push(['ok', value, isMainThread]),
    });
    const bad = pool.applyAsync(fail, ['nope'], {
      errorCallback: (error) => seen.push(['error', (error as Error).message, isMainThread]),
    });
    await ok.wait();
    await bad.wait();
    expect(seen).toContainEqual(['ok', 16, true]);
    expect(seen).toContainEqual(['error', 'nope', true]);
    expect(bad.successful()).toBe(false);
  });

  it('mapAsync and starmapAsync give AsyncResults of the whole list', async () => {
    let called: number[] | undefined;
    const mapped = pool.mapAsync(square, [1, 2, 3], undefined, { callback: (values) => (called = values) });
    expect(await mapped.get()).toEqual([1, 4, 9]);
    expect(called).toEqual([1, 4, 9]);
    expect(
      await pool
        .starmapAsync(
          (a: number, b: number) => a * b,
          [
            [2, 3],
            [4, 5],
          ],
        )
        .get(),
    ).toEqual([6, 20]);
  });

  it('a failed result nobody awaits is not an unhandled rejection; it works with Promise.all', async () => {
    const ignored = pool.applyAsync(fail, ['ignored']);
    await ignored.wait();
    expect(ignored.successful()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await Promise.all([pool.applyAsync(square, [2]), pool.applyAsync(square, [3])])).toEqual([4, 9]);
    expect(ignored).toBeInstanceOf(Promise);
  });
});
