import { BrokenPoolError, Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { bumpShared, initSetGlobal, readInitGlobal, slowDouble, timerInWorker } from './fixtures/tasks.mjs';

describe('initializer, async tasks, and a worker event loop that stays alive', () => {
  it('runs the initializer with initargs in every worker before tasks', async () => {
    await using pool = new Pool(2, { initializer: initSetGlobal, initargs: ['ready'] });
    expect(await pool.map(readInitGlobal, [1, 2, 3, 4], 1)).toEqual(['ready', 'ready', 'ready', 'ready']);
  });

  it('initargs that cannot cross break the pool, naming the path', async () => {
    const pool = new Pool(1, { initializer: initSetGlobal, initargs: [() => 'a function'] });
    try {
      const error = (await pool.apply(readInitGlobal, [1]).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(BrokenPoolError);
      expect(error.message).toMatch(/initializer/);
      expect(error.message).toMatch(/function/);
    } finally {
      await pool.terminate();
    }
  });

  it('runs async tasks and timers inside workers', async () => {
    await using pool = new Pool(2);
    expect(await pool.map(slowDouble, [1, 2, 3])).toEqual([2, 4, 6]);
    expect(await pool.apply(timerInWorker, [30])).toBe(true);
    // an idle pool's workers still serve timers: wait, then use them again
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await pool.apply(timerInWorker, [10])).toBe(true);
  });

  it('keeps working while the main thread is blocked', async () => {
    await using pool = new Pool(2);
    const shared = new Int32Array(new SharedArrayBuffer(8));
    await pool.apply(bumpShared, [shared]);
    const results = Array.from({ length: 20 }, () => pool.applyAsync(bumpShared, [shared]));
    // Block the main thread (no event loop turn) until the workers have run every task.
    const deadline = Date.now() + 30_000;
    while (Atomics.load(shared, 0) < 21 && Date.now() < deadline) Atomics.wait(shared, 1, 0, 5);
    expect(Atomics.load(shared, 0)).toBe(21);
    const values = await Promise.all(results);
    expect(new Set(values).size).toBe(20);
  });
});
