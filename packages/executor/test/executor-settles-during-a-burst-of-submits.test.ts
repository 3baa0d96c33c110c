import { ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { failAt, increment } from './fixtures/tasks.mjs';

function busy(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

describe('a burst of submits (the main thread never yields)', () => {
  it('finishes futures during the burst, and never runs a done callback inside submit', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    await executor.submit(increment, 0);
    const n = 3000;
    let inside = false;
    let callbacksInside = 0;
    let callbacks = 0;
    const futures = [];
    for (let i = 0; i < n; i++) {
      inside = true;
      const future = i % 10 === 9 ? executor.submit(failAt, i, i) : executor.submit(increment, i);
      inside = false;
      future.addDoneCallback(() => {
        if (inside) callbacksInside++;
        callbacks++;
      });
      futures.push(future);
      busy(50);
    }
    const doneDuringBurst = futures.filter((future) => future.done()).length;
    expect(doneDuringBurst).toBeGreaterThan(0);
    const settled = await Promise.allSettled(futures);
    expect(callbacksInside).toBe(0);
    expect(callbacks).toBe(n);
    settled.forEach((outcome, i) => {
      if (i % 10 === 9) expect(outcome.status).toBe('rejected');
      else expect(outcome).toEqual({ status: 'fulfilled', value: i + 1 });
    });
  });
});
