import { SharedArray, Value } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('Value and SharedArray across worker threads', () => {
  it("the notes' balance example: 2 workers x 100,000 changes under the Value's lock leave 0", async () => {
    for (const mode of ['sync', 'async']) {
      const balance = new Value('i', 0);
      const total = new Value('q', 0n, { lock: balance.getLock() });
      const run = (n: number) =>
        runWorker('value-balance', {
          balance: balance.toHandle(),
          total: total.toHandle(),
          n,
          rounds: 100_000,
          mode,
        });
      await Promise.all([run(5), run(8)]);
      expect(balance.value).toBe(0);
      expect(total.value).toBe(200_000n);
    }
  });

  it("004: a worker sets Value('d'), negates Array('i', range(10)), extends a str Value", async () => {
    const num = new Value('d', 0.0);
    const arr = new SharedArray(
      'i',
      Array.from({ length: 10 }, (_, i) => i),
    );
    const text = new Value('str', 'Hello World', { maxBytes: 64 });
    await runWorker('notes-004-value-array', {
      num: num.toHandle(),
      arr: arr.toHandle(),
      text: text.toHandle(),
    });
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the notes' own literal
    expect(num.value).toBe(3.1415927);
    expect(arr.toArray()).toEqual([0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect(text.value).toBe('Hello World from a worker');
  });
});
