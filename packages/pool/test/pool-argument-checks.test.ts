import { Pool, ValueError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { square } from './fixtures/tasks.mjs';

describe("Python's argument checks", () => {
  it('refuses fewer than one process', () => {
    expect(() => new Pool(0)).toThrow(ValueError);
    expect(() => new Pool(0)).toThrow('Number of processes must be at least 1');
    expect(() => new Pool(-1)).toThrow(ValueError);
  });

  it('refuses a non-function initializer', () => {
    expect(() => new Pool(1, { initializer: 42 as never })).toThrow(TypeError);
  });

  it('refuses maxtasksperchild that is not a positive integer', () => {
    expect(() => new Pool(1, { maxtasksperchild: 0 })).toThrow(ValueError);
    expect(() => new Pool(1, { maxtasksperchild: 1.5 })).toThrow(ValueError);
  });

  it('refuses chunksize < 1, work after close or terminate, and join while running', async () => {
    const pool = new Pool(1);
    try {
      await expect(pool.map(square, [1, 2], 0)).rejects.toThrow('Chunksize must be 1+, not 0');
      expect(() => pool.imap(square, [1], 0)).toThrow(ValueError);
      await expect(pool.join()).rejects.toThrow('Pool is still running');
      expect(await pool.apply(square, [3])).toBe(9);
      pool.close();
      expect(() => pool.applyAsync(square, [1])).toThrow('Pool not running');
      await expect(pool.map(square, [1])).rejects.toThrow('Pool not running');
      await pool.join();
    } finally {
      await pool.terminate();
    }
    await expect(pool.apply(square, [1])).rejects.toThrow('Pool not running');
  });

  it('close() then join() waits for the queued tasks', async () => {
    const pool = new Pool(2);
    const results = [1, 2, 3, 4, 5].map((x) => pool.applyAsync(square, [x]));
    pool.close();
    await pool.join();
    for (const result of results) expect(result.ready()).toBe(true);
    expect(await Promise.all(results)).toEqual([1, 4, 9, 16, 25]);
  });
});
