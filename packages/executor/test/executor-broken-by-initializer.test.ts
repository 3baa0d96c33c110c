import { BrokenExecutor, BrokenThreadPool, ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { failingInitializer, increment, initialize, readInitialized } from './fixtures/tasks.mjs';
import { until } from './helpers.js';

describe('initializer', () => {
  it('runs in each worker before its tasks', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2, initializer: initialize, initargs: [7] });
    const values = await Promise.all(Array.from({ length: 6 }, () => executor.submit(readInitialized)));
    expect(values).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('a failing initializer breaks the executor: pending futures fail with BrokenThreadPool, later submits are refused', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 2, initializer: failingInitializer });
    const futures = Array.from({ length: 4 }, (_, i) => executor.submit(increment, i));
    for (const future of futures) {
      const error = await future.exception();
      expect(error).toBeInstanceOf(BrokenThreadPool);
      expect(error).toBeInstanceOf(BrokenExecutor);
      expect((error as Error).message).toMatch(/initializer/);
    }
    await until(() => executor.broken !== undefined, 30_000, 'the executor to be broken');
    expect(() => executor.submit(increment, 1)).toThrow(BrokenThreadPool);
    await executor.shutdown();
  });
});
