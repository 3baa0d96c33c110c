import { Worker } from 'node:worker_threads';
import { Empty, Queue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { checkStampedItem } from './fixtures/stamped-item.mjs';
import { kill, sleep, spinUntilHeld } from './kill.js';
import { fixture } from './run-worker.js';

const SIZE = 16 * 1024;

/** Drains `queue` with `await get({ timeout })` until Empty; returns the stamps (-1 for a torn item). */
async function drain(queue: Queue<Uint8Array>): Promise<number[]> {
  const seen: number[] = [];
  for (;;) {
    try {
      seen.push(checkStampedItem(await queue.get({ timeout: 300 }), SIZE));
    } catch (error) {
      expect(error).toBeInstanceOf(Empty);
      return seen;
    }
  }
}

describe("a thread terminated inside Queue.putSync never freezes the queue's other users", () => {
  it('the main thread drains every item put before the kill, in order, intact, and the queue works on', async () => {
    let killedHolding = 0;
    for (let trial = 0; trial < 40 && killedHolding < 3; trial++) {
      const queue = new Queue<Uint8Array>();
      const handle = queueToHandle(queue);
      const progress = new Int32Array(new SharedArrayBuffer(4));
      const lockWord = new Int32Array(handle.buffer, 0, 1);
      const worker = new Worker(fixture('put-until-killed.mjs'), {
        workerData: { handle, size: SIZE, progress: progress.buffer },
      });
      while (Atomics.load(progress, 0) < 1 + (trial % 7) * 5) await sleep(1);
      spinUntilHeld(lockWord);
      await kill(worker);
      if (Atomics.load(lockWord, 0) !== 0) killedHolding++;
      const done = Atomics.load(progress, 0);
      const seen = await drain(queue);
      // Every put that returned is there, in order and intact; at most the one in flight besides.
      expect(seen.slice(0, done)).toEqual(Array.from({ length: done }, (_, i) => i));
      expect(seen.length === done || (seen.length === done + 1 && seen[done] === done)).toBe(true);
      // And the queue works on.
      queue.putSync(new Uint8Array(SIZE));
      expect((await queue.get({ timeout: 1000 })).length).toBe(SIZE);
    }
    // The kill must have landed inside the ring's lock at least once, or this proved nothing.
    expect(killedHolding).toBeGreaterThan(0);
  }, 60_000);
});
