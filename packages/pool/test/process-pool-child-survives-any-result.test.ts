import { Pool, WorkerCrashedError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { parseInteger, returnsFunction, textOfLength } from './fixtures/process-pool-tasks.mjs';

describe('a process-pool child batches any result, and a task that fails fails only itself', () => {
  it('results of every size, however much they grow the reply batch, arrive whole', async () => {
    await using pool = new Pool(1, { context: 'process' });
    const sizes = [1, 7, 255, 300, 513, 1001, 4099, 100_003, 3, 17];
    expect(await pool.map(textOfLength, sizes, 1)).toEqual(sizes.map((n) => 'x'.repeat(n)));
    for (const n of [1001, 20_001, 5]) expect(await pool.apply(textOfLength, [n])).toBe('x'.repeat(n));
  });

  it("a task's own error (a ValueError from int('a')) arrives as itself, not as a crash", async () => {
    await using pool = new Pool(1, { context: 'process' });
    for (const bad of ['a', 'b'.repeat(1001), 'c'.repeat(5003)]) {
      const error = (await pool.apply(parseInteger, [bad]).catch((e: unknown) => e)) as Error;
      expect(error).not.toBeInstanceOf(WorkerCrashedError);
      expect(error.name).toBe('ValueError');
      expect(error.message).toBe(`invalid literal for int() with base 10: ${JSON.stringify(bad)}`);
    }
    const results = await Promise.allSettled(
      ['1', 'x', '22', 'y'.repeat(999), '333'].map((s) => pool.apply(parseInteger, [s])),
    );
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name))).toEqual([
      1,
      'ValueError',
      22,
      'ValueError',
      333,
    ]);
  });

  it('a task returning a function fails with DataCloneError; the child goes on', async () => {
    await using pool = new Pool(1, { context: 'process' });
    const before = await pool.apply(textOfLength, [2]);
    const error = (await pool.apply(returnsFunction, []).catch((e: unknown) => e)) as Error;
    expect(error).not.toBeInstanceOf(WorkerCrashedError);
    expect(error.name).toBe('DataCloneError');
    expect(error.message).toMatch(/function/);
    expect(before).toBe('xx');
    expect(await pool.apply(textOfLength, [3])).toBe('xxx');
    const mapped = (await pool
      .map(returnsFunction as unknown as (x: number) => number, [1, 2])
      .catch((e: unknown) => e)) as Error;
    expect(mapped.name).toBe('DataCloneError');
    expect(await pool.apply(textOfLength, [4])).toBe('xxxx');
  });
});
