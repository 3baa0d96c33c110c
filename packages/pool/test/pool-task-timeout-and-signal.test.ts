import { Pool, TimeoutError } from '@weft/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { ignoreAbort, square, waitForAbort } from './fixtures/tasks.mjs';

const pool = new Pool(2, { abortGraceMs: 200 });
afterAll(() => pool.terminate());

describe('per-task timeout and signal', () => {
  it('a timeout rejects with TimeoutError and the task sees its signal abort', async () => {
    const started = Date.now();
    await expect(pool.apply(waitForAbort, [], { timeout: 100 })).rejects.toThrow(TimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(99);
  });

  it('an AbortSignal rejects the task with its reason', async () => {
    const controller = new AbortController();
    const pending = pool.apply(waitForAbort, [], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop now')), 50);
    await expect(pending).rejects.toThrow('stop now');
  });

  it('an already aborted signal rejects at once', async () => {
    await expect(pool.apply(square, [1], { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('a task that ignores its signal past the grace period has its worker replaced; the pool goes on', async () => {
    await expect(pool.apply(ignoreAbort, [60_000], { timeout: 50 })).rejects.toThrow(TimeoutError);
    await expect(pool.apply(ignoreAbort, [60_000], { timeout: 50 })).rejects.toThrow(TimeoutError);
    // both workers were stuck in a busy loop; they are replaced and serve new tasks
    expect(await pool.map(square, [1, 2, 3, 4], 1)).toEqual([1, 4, 9, 16]);
  });

  it('a task that finishes in time is not affected', async () => {
    expect(await pool.apply(square, [5], { timeout: 60_000 })).toBe(25);
  });
});
