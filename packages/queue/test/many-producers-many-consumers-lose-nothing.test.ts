import { Queue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

interface ConsumerReport {
  taken: number[];
  problems: string[];
}

/**
 * Producers and consumers in worker threads, half of each blocking (`putSync`/`getSync`) and half
 * async (`await put`, `for await`). Every item must arrive exactly once, intact, and the items of
 * one producer in the order it put them.
 */
async function exchange(queue: Queue, producers: number, consumers: number, count: number, sizes?: number[]) {
  const handle = queueToHandle(queue);
  const consumerRuns = Array.from({ length: consumers }, (_, i) =>
    runWorker<ConsumerReport>('consumer.mjs', { handle, mode: i % 2 === 0 ? 'sync' : 'async', sizes }),
  );
  const producerRuns = Array.from({ length: producers }, (_, producer) =>
    runWorker('producer.mjs', {
      handle,
      producer,
      count,
      mode: producer % 2 === 0 ? 'sync' : 'async',
      sizes,
    }),
  );
  await Promise.all(producerRuns.map((run) => run.done));
  queue.close();
  const reports = (await Promise.all(consumerRuns.map((run) => run.done))).map((messages) => messages[0]!);

  const seen = Array.from({ length: producers }, () => new Uint8Array(count));
  let total = 0;
  for (const report of reports) {
    expect(report.problems).toEqual([]);
    for (let i = 0; i < report.taken.length; i += 2) {
      const producer = report.taken[i]!;
      const seq = report.taken[i + 1]!;
      seen[producer]![seq]! += 1;
      total++;
    }
  }
  expect(total).toBe(producers * count);
  for (const marks of seen) expect(marks.every((mark) => mark === 1)).toBe(true);
  expect(queue.qsize()).toBe(0);
}

describe('4 producers x 4 consumers in worker threads', () => {
  it('deliver 4 x 20,000 small items through an unbounded queue exactly once, per-producer FIFO', async () => {
    await exchange(new Queue(), 4, 4, 20_000);
  });

  it('deliver 4 x 20,000 items through a queue bounded at 16 items (puts wait for room)', async () => {
    await exchange(new Queue({ maxsize: 16 }), 4, 4, 20_000);
  });

  it('deliver items of random sizes from 0 B to 2 MB intact', async () => {
    // Log-uniform sizes, with the edges pinned: empty, just over the initial ring, 2 MB.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const sizes = Array.from({ length: 40 }, () => Math.floor(2 ** (random() * 21)));
    sizes[0] = 0;
    sizes[1] = 2 * 1024 * 1024;
    sizes[2] = 65 * 1024;
    sizes[3] = 1;
    await exchange(new Queue({ maxsize: 8 }), 4, 4, sizes.length, sizes);
  });

  it('deliver 4 x 200 items of 8 KB to 1 MB through an unbounded queue, copied in outside the lock while it grows', async () => {
    // Most of these are large enough to be copied into the ring outside its lock, and the queue is
    // unbounded, so the ring grows (in segments) while producers copy and consumers take.
    let seed = 777;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const sizes = Array.from({ length: 200 }, () => Math.floor(8 * 1024 * 128 ** random()));
    sizes[0] = 32 * 1024 - 1;
    sizes[1] = 32 * 1024;
    await exchange(new Queue(), 4, 4, sizes.length, sizes);
  });
});
