import { Worker } from 'node:worker_threads';
import { Empty, Full, PriorityQueue, queueToHandle } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { kill, sleep } from './kill.js';
import { fixture } from './run-worker.js';

// Self-contained (it crosses to the worker as source): blocks forever on 'block', throws on 'throw'.
const compare = (a: string, b: string): number => {
  if (a === 'block' || b === 'block') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  if (a === 'throw' || b === 'throw') throw new RangeError('cannot compare');
  return a < b ? -1 : a > b ? 1 : 0;
};

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function drain(queue: PriorityQueue<string>): Promise<string[]> {
  const items: string[] = [];
  while (queue.qsize() > 0) items.push(await queue.get({ timeout: 2000 }));
  return items;
}

describe("a PriorityQueue's compare runs under the ring's lock", () => {
  it('a compare that throws: the error reaches the caller, nothing is stored, the queue works on', async () => {
    const queue = new PriorityQueue<string>({ compare });
    for (const item of ['m', 'c', 'x']) queue.putSync(item);
    expect(() => queue.putSync('throw')).toThrow(RangeError);
    await expect(queue.put('throw')).rejects.toBeInstanceOf(RangeError);
    expect(() => queue.putNowait('throw')).toThrow(RangeError);
    // In another thread too.
    const worker = new Worker(fixture('put-one.mjs'), {
      workerData: { handle: queueToHandle(queue), item: 'throw' },
    });
    const report = new Promise((resolve) => worker.once('message', resolve));
    const exit = new Promise((resolve) => worker.once('exit', resolve));
    worker.once('error', (error) => console.error('put-one worker failed:', error));
    expect(await within(exit, 20_000, 'the worker to exit')).toBe(0);
    expect(await within(report, 1000, 'the report')).toMatchObject({ error: 'RangeError' });
    expect(queue.qsize()).toBe(3);
    queue.putSync('a');
    expect(await drain(queue)).toEqual(['a', 'c', 'm', 'x']);
  });

  it('a compare that blocks in a thread that is then terminated: the queue recovers, nothing lost or torn', async () => {
    const queue = new PriorityQueue<string>({ compare });
    const items = ['k', 'b', 'q', 'e', 'w'];
    for (const item of items) queue.putSync(item);
    const handle = queueToHandle(queue);
    const lockWord = new Int32Array(handle.buffer, 0, 1);
    const worker = new Worker(fixture('put-one.mjs'), { workerData: { handle, item: 'block' } });
    // The worker's compare is stuck holding the ring's lock.
    for (let i = 0; Atomics.load(lockWord, 0) === 0; i++) {
      if (i > 5000) throw new Error('the worker never took the lock');
      await sleep(2);
    }
    await sleep(20);
    expect(Atomics.load(lockWord, 0)).not.toBe(0);
    // While a live thread holds the lock, a get with a timeout on this (the main) thread times out on
    // time, and timers fire.
    await expect(queue.get({ timeout: 100 })).rejects.toBeInstanceOf(Empty);
    await expect(queue.put('z', { timeout: 100 })).rejects.toBeInstanceOf(Full);
    const pending = queue.get({ timeout: 100_000 });
    const timer = sleep(30).then(() => 'timer fired');
    expect(await Promise.race([timer, pending.then(() => 'got')])).toBe('timer fired');
    await kill(worker);
    expect(await pending).toBe('b');
    queue.putSync('a');
    expect(queue.qsize()).toBe(5);
    expect(await drain(queue)).toEqual(['a', 'e', 'k', 'q', 'w']);
  });
});
