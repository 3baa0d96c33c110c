import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { fail, square } from './fixtures/tasks.mjs';

/** Busy-waits `us` microseconds: the workers get time to finish tasks while this thread is busy. */
function busy(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

describe('a burst of applyAsync calls (the main thread never yields)', () => {
  it('settles finished tasks during the burst, and never runs a callback inside applyAsync', async () => {
    await using pool = new Pool(2);
    await pool.apply(square, [1]); // workers up, function known
    const n = 3000;
    let inside = false;
    let callbacksInside = 0;
    let values = 0;
    let errors = 0;
    const results = [];
    for (let i = 0; i < n; i++) {
      inside = true;
      results.push(
        i % 10 === 9
          ? pool.applyAsync(fail, [`bad ${i}`], {
              errorCallback: () => {
                if (inside) callbacksInside++;
                errors++;
              },
            })
          : pool.applyAsync(square, [i], {
              callback: () => {
                if (inside) callbacksInside++;
                values++;
              },
            }),
      );
      inside = false;
      busy(50);
    }
    // Still inside the synchronous burst: the pump has not run, yet results were settled.
    const readyDuringBurst = results.filter((result) => result.ready()).length;
    expect(readyDuringBurst).toBeGreaterThan(0);
    const settled = await Promise.allSettled(results);
    expect(callbacksInside).toBe(0);
    expect(values).toBe(n - n / 10);
    expect(errors).toBe(n / 10);
    settled.forEach((outcome, i) => {
      if (i % 10 === 9) expect(outcome.status).toBe('rejected');
      else expect(outcome).toEqual({ status: 'fulfilled', value: i * i });
    });
  });
});
