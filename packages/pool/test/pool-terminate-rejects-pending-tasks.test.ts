import { Pool, TaskAbortedError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { slowDouble, square } from './fixtures/tasks.mjs';

describe('terminate()', () => {
  it('rejects running and queued tasks instead of leaving them hanging', async () => {
    const pool = new Pool(1);
    const running = pool.apply(slowDouble, [1, 30_000]);
    running.catch(() => {});
    const queued = pool.applyAsync(square, [2]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.terminate();
    await expect(running).rejects.toThrow(TaskAbortedError);
    await expect(queued.get()).rejects.toThrow(/terminated/);
  });

  it('ends an `await using` block', async () => {
    let outside: Pool | undefined;
    let pending: Promise<unknown> | undefined;
    {
      await using pool = new Pool(1);
      outside = pool;
      expect(await pool.apply(square, [3])).toBe(9);
      pending = pool.apply(slowDouble, [1, 30_000]);
      pending.catch(() => {});
    }
    await expect(pending).rejects.toThrow(/terminated/);
    await expect(outside.apply(square, [1])).rejects.toThrow('Pool not running');
  });
});
