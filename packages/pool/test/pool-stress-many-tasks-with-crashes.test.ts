import { Pool, WorkerCrashedError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { crash, slowDouble, square } from './fixtures/tasks.mjs';

describe('stress: many tasks while workers crash and are replaced', () => {
  it('every task settles; only the crashing ones fail, with WorkerCrashedError', async () => {
    await using pool = new Pool(2);
    const results: { kind: string; i: number; result: PromiseLike<unknown> }[] = [];
    for (let i = 0; i < 6000; i++) {
      if (i % 600 === 300) results.push({ kind: 'crash', i, result: pool.applyAsync(crash, []) });
      else if (i % 97 === 0) results.push({ kind: 'async', i, result: pool.applyAsync(slowDouble, [i, 1]) });
      else results.push({ kind: 'square', i, result: pool.applyAsync(square, [i]) });
    }
    const settled = await Promise.allSettled(results.map((r) => r.result));
    settled.forEach((outcome, at) => {
      const { kind, i } = results[at]!;
      if (kind === 'crash') {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(WorkerCrashedError);
      } else {
        expect(outcome).toEqual({ status: 'fulfilled', value: kind === 'async' ? i * 2 : i * i });
      }
    });
    const xs = Array.from({ length: 20_000 }, (_, i) => i);
    expect(await pool.map(square, xs)).toEqual(xs.map((x) => x * x));
  });
});
