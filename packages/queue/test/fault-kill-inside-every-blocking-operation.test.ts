import { Worker } from 'node:worker_threads';
import {
  ByteRing,
  JoinableQueue,
  LifoQueue,
  PriorityQueue,
  Queue,
  queueToHandle,
  SimpleQueue,
} from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { sleep } from './kill.js';
import { fixture } from './run-worker.js';

// The fault-injection suite for @weft/queue: two producers and two consumers in workers (sync and async,
// bounded and unbounded queues, items of 16 B to 64 KB so both the copy-under-the-lock and the
// copy-outside-it paths run); one worker is terminated at a random point. The survivors must finish
// (no hang), nothing torn, nothing taken twice, and nothing lost but the item in flight: the one the
// victim was putting, or the one it had taken and not yet recorded.

const COUNT = 150;
const SIZES = [16, 16 * 1024, 40, 64 * 1024, 200];
const TRIALS = 2;
const FINISH_MS = 20_000;

const kinds = {
  Queue: (maxsize: number) => new Queue({ maxsize }),
  JoinableQueue: (maxsize: number) => new JoinableQueue({ maxsize }),
  LifoQueue: (maxsize: number) => new LifoQueue({ maxsize }),
  PriorityQueue: (maxsize: number) => new PriorityQueue({ maxsize }),
  SimpleQueue: () => new SimpleQueue(),
};

async function trial(kind: keyof typeof kinds, seed: number): Promise<void> {
  const queue = kinds[kind](seed % 2 === 0 ? 0 : 6);
  const handle = queueToHandle(queue as Queue<unknown>);
  const progress = new Int32Array(new SharedArrayBuffer(64));
  const receipts = new Int32Array(new SharedArrayBuffer(4 * 2 * COUNT));
  const roles = ['producer', 'producer', 'consumer', 'consumer'] as const;
  const workers = roles.map((role, index) => {
    const worker = new Worker(fixture('chaos-queue.mjs'), {
      workerData: {
        role,
        handle,
        id: index % 2,
        count: COUNT,
        sizes: SIZES,
        mode: (seed + index) % 2 === 0 ? 'sync' : 'async',
        progress: progress.buffer,
        receipts: receipts.buffer,
      },
    });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const failed = new Promise<Error>((resolve) => worker.once('error', resolve));
    return { role, worker, exited, failed };
  });
  const victimIndex = (seed * 7 + 1) % workers.length;
  const victim = workers[victimIndex]!;
  // Kill once the victim's side is well under way, at a random point.
  const goal = 5 + ((seed * 13) % 40);
  for (let waited = 0; Atomics.load(progress, 0) + Atomics.load(progress, 1) < goal; waited++) {
    if (waited > 10_000) throw new Error(`${kind}: the producers never got going`);
    await sleep(1);
  }
  for (let i = 0; i < (seed * 7919) % 200_000; i++);
  await victim.worker.terminate();
  await victim.exited;

  const bounded = <T>(promise: Promise<T>, what: string) =>
    Promise.race([
      promise,
      sleep(FINISH_MS).then(() => {
        throw new Error(`${kind} trial ${seed}: ${what} hung after a worker was terminated`);
      }),
    ]);
  const survivors = workers.filter((worker) => worker !== victim);
  const producers = survivors.filter((worker) => worker.role === 'producer');
  const consumers = survivors.filter((worker) => worker.role === 'consumer');
  const clean = (worker: (typeof workers)[number]) => Promise.race([worker.exited, worker.failed]);
  expect(await bounded(Promise.all(producers.map(clean)), 'a producer')).toEqual(producers.map(() => 0));
  // Producers are done: the consumers drain the queue, then stop.
  await bounded(
    (async () => {
      while (queue.qsize() > 0) await sleep(2);
    })(),
    'draining',
  );
  Atomics.store(progress, 9, 1);
  expect(await bounded(Promise.all(consumers.map(clean)), 'a consumer')).toEqual(consumers.map(() => 0));

  expect(Atomics.load(progress, 8), 'no item torn').toBe(0);
  let lost = 0;
  for (let producer = 0; producer < 2; producer++) {
    const done = Atomics.load(progress, producer);
    for (let seq = 0; seq < COUNT; seq++) {
      const taken = Atomics.load(receipts, producer * COUNT + seq);
      expect(taken, `item ${producer}/${seq} taken at most once`).toBeLessThanOrEqual(1);
      if (seq < done && taken === 0) lost++;
      // Beyond the victim's last returned put, only the put in flight may have landed.
      if (seq > done) expect(taken, `item ${producer}/${seq} was never put`).toBe(0);
    }
    if (victim.role === 'producer' && victimIndex % 2 === producer) continue;
    expect(done, `surviving producer ${producer} put everything`).toBe(COUNT);
  }
  // A consumer that dies may take one item with it (taken, not yet recorded); a producer loses none.
  expect(lost).toBeLessThanOrEqual(victim.role === 'consumer' ? 1 : 0);
  if (queue instanceof JoinableQueue) {
    const unfinished = ByteRing.attach(handle.buffer).unfinishedTasks();
    expect(unfinished).toBeLessThanOrEqual(victim.role === 'consumer' ? 1 : 0);
  }
  // And the queue works on.
  queue.putSync([9, 9, new Uint8Array(3)]);
  expect((await queue.get({ timeout: 2000 }))[0]).toBe(9);
}

describe('fault injection: a producer or consumer terminated at a random point inside put/get', () => {
  for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) {
    it(`${kind}: survivors never hang; nothing torn, doubled, or lost but the item in flight`, async () => {
      const base = Math.floor(Math.random() * 1000) * 4;
      for (let seed = base; seed < base + TRIALS; seed++) await trial(kind, seed);
    }, 60_000);
  }
});
