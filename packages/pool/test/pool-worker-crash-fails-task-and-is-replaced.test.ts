import { Pool, WorkerCrashedError } from '@weft/pool';
import { afterAll, describe, expect, it } from 'vitest';
import { crash, square, throwOutside } from './fixtures/tasks.mjs';

const pool = new Pool(2);
afterAll(() => pool.terminate());

describe('a worker that crashes', () => {
  it('fails its in-flight task with WorkerCrashedError (process.exit)', async () => {
    const error = (await pool.apply(crash, []).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.message).toMatch(/exit code 7/);
  });

  it('is replaced: the pool goes on with all its workers', async () => {
    for (let i = 0; i < 3; i++) await pool.apply(crash, []).catch(() => {});
    const xs = Array.from({ length: 200 }, (_, i) => i);
    expect(await pool.map(square, xs, 1)).toEqual(xs.map((x) => x * x));
  });

  it('dies from an uncaught error outside a task and is replaced; other tasks are not lost', async () => {
    expect(await pool.apply(throwOutside, [])).toBe('ok');
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => pool.apply(square, [i])));
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WorkerCrashedError);
      else expect(r.value).toBe(i * i);
    }
    expect(await pool.apply(square, [12])).toBe(144);
  });
});
