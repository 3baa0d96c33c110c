import { asCompleted, ThreadPoolExecutor, wait } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { increment } from './fixtures/tasks.mjs';

describe('10,000 futures', () => {
  it('every one completes with its own value, asCompleted yields each once, wait sees all done', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const n = 10_000;
    const futures = Array.from({ length: n }, (_, i) => executor.submit(increment, i));
    const seen = new Set<unknown>();
    let sum = 0;
    for await (const future of asCompleted(futures, { timeout: 120_000 })) {
      seen.add(future);
      sum += await future.result();
    }
    expect(seen.size).toBe(n);
    expect(sum).toBe((n * (n + 1)) / 2);
    const { done, notDone } = await wait(futures);
    expect(done.size).toBe(n);
    expect(notDone.size).toBe(0);
    const values = await Promise.all(futures);
    expect(values.every((value, i) => value === i + 1)).toBe(true);
  });
});
