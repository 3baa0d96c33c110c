import { Queue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe("an item larger than the ring (the notes' s4-18 deadlock does not happen)", () => {
  for (const async of [false, true]) {
    it(`a worker puts 'X' * 1,000,000 with ${async ? 'await put' : 'putSync'} and ends before anyone reads; then the parent gets it`, async () => {
      const queue = new Queue<string>();
      const run = runWorker('put-and-exit.mjs', { handle: queueToHandle(queue), size: 1_000_000, async });
      // Python's multiprocessing.Queue deadlocks here: join before get. weft's put returns at once.
      await run.done;
      const item = await queue.get({ timeout: 30_000 });
      expect(item.length).toBe(1_000_000);
      expect(item === 'X'.repeat(1_000_000)).toBe(true);
    });
  }

  it('a bounded queue also takes items of any size (maxsize counts items, not bytes)', () => {
    const queue = new Queue<Uint8Array>({ maxsize: 2 });
    const big = new Uint8Array(16 * 1024 * 1024).fill(7);
    queue.putSync(big);
    queue.putSync(new Uint8Array(3));
    expect(queue.full()).toBe(true);
    const got = queue.getSync();
    expect(got.length).toBe(big.length);
    expect(got.every((byte) => byte === 7)).toBe(true);
    expect(queue.getSync()).toEqual(new Uint8Array(3));
  });
});
