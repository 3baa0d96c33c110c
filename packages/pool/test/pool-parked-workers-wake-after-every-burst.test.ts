import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { square } from './fixtures/tasks.mjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('bursts of 100,000 tasks between pauses that park the workers', () => {
  it('never leave the workers parked while tasks wait in the ring', { timeout: 120_000 }, async () => {
    await using pool = new Pool(2);
    await pool.apply(square, [1]);
    let completed = 0;
    const count = () => {
      completed++;
    };
    let longestStill = 0;
    for (let burst = 0; burst < 40; burst++) {
      await sleep(5); // the workers run out of tasks and park
      const results = [];
      for (let i = 0; i < 100_000; i++) results.push(pool.applyAsync(square, [i], { callback: count }));
      // From here the main thread is free: results should keep coming, a few ms apart at most.
      let seen = completed;
      let stillSince = performance.now();
      const watch = setInterval(() => {
        const now = performance.now();
        if (completed !== seen) {
          seen = completed;
          stillSince = now;
        } else longestStill = Math.max(longestStill, now - stillSince);
      }, 20);
      const values = await Promise.all(results);
      clearInterval(watch);
      expect(values[99_999]).toBe(99_999 * 99_999);
    }
    expect(completed).toBe(40 * 100_000);
    // A lost wake-up left both workers parked with the rest of a burst in the ring until their wait's
    // one-second slice ran out (the main thread's WAKING flag was stuck at 1, so it never notified
    // again): no result for about a second, in about one burst in twenty.
    expect(longestStill).toBeLessThan(500);
  });
});
