import { Worker } from 'node:worker_threads';
import { Empty, JoinableQueue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { checkStampedItem } from './fixtures/stamped-item.mjs';
import { kill, sleep } from './kill.js';
import { fixture } from './run-worker.js';

// Items of 32 KB and more are copied into the ring outside its lock, in a record reserved as pending.
const SIZE = 64 * 1024;
/** Header word 11: pushes copying outside the lock (a writer that dies mid-copy leaves it raised). */
const WRITERS = 11;

describe('a writer killed between reserving and publishing a large item', () => {
  it('its pending record is discarded: later items flow, earlier ones arrive intact, join() does not wait for it', async () => {
    let killedCopying = 0;
    for (let trial = 0; trial < 60 && killedCopying < 3; trial++) {
      const queue = new JoinableQueue<Uint8Array>();
      const handle = queueToHandle(queue);
      const header = new Int32Array(handle.buffer, 0, 16);
      const progress = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(fixture('put-until-killed.mjs'), {
        workerData: { handle, size: SIZE, progress: progress.buffer },
      });
      while (Atomics.load(progress, 0) < 1 + (trial % 5) * 3) await sleep(1);
      for (let i = 0; i < 1_000_000 && Atomics.load(header, WRITERS) === 0; i++);
      await kill(worker);
      if (Atomics.load(header, WRITERS) !== 0) killedCopying++;
      const done = Atomics.load(progress, 0);
      // A later item, from a live thread, must not be stuck behind the dead writer's record.
      const later = new Uint8Array(SIZE).fill(9);
      await queue.put(later);
      // Everything before `later` comes out first (in order), then `later`: one wait per item at most.
      const seen: number[] = [];
      while (seen.at(-1) !== -2) {
        const item = await queue.get({ timeout: 5000 });
        queue.taskDone();
        seen.push(item[0] === 9 && item[SIZE - 1] === 9 ? -2 : checkStampedItem(item, SIZE));
      }
      expect(() => queue.getNowait()).toThrow(Empty);
      const stamps = seen.slice(0, -1);
      expect(stamps.slice(0, done)).toEqual(Array.from({ length: done }, (_, i) => i));
      expect(stamps.length === done || (stamps.length === done + 1 && stamps[done] === done)).toBe(true);
      // Every task that can ever be taken was taken and done: join() returns.
      expect(await Promise.race([queue.join().then(() => 'joined'), sleep(2000).then(() => 'stuck')])).toBe(
        'joined',
      );
    }
    expect(killedCopying).toBeGreaterThan(0);
  }, 60_000);
});
