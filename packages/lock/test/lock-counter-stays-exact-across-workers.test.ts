import { Lock } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('Lock across worker threads', () => {
  for (const mode of ['sync', 'async', 'mixed'] as const) {
    it(`4 workers x 20,000 increments (${mode} acquire) give the exact count and a balance of 0`, async () => {
      const lock = new Lock();
      const counter = new SharedArrayBuffer(8);
      const increments = 20_000;
      await Promise.all(
        Array.from({ length: 4 }, () =>
          runWorker('lock-increment', { lockHandle: lock.toHandle(), counter, increments, mode }),
        ),
      );
      const cells = new Int32Array(counter);
      expect(cells[0]).toBe(4 * increments);
      expect(cells[1]).toBe(0);
      expect(lock.locked()).toBe(false);
    });
  }

  it('the main thread competes with workers using async acquire without blocking its event loop', async () => {
    const lock = new Lock();
    const counter = new SharedArrayBuffer(8);
    const cells = new Int32Array(counter);
    const increments = 10_000;
    const workers = Array.from({ length: 2 }, () =>
      runWorker('lock-increment', { lockHandle: lock.toHandle(), counter, increments, mode: 'mixed' }),
    );
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    for (let i = 0; i < increments; i++) {
      await lock.acquire();
      cells[0] = cells[0]! + 1;
      lock.release();
    }
    await Promise.all(workers);
    clearInterval(ticker);
    expect(cells[0]).toBe(3 * increments);
  });
});
