import { Empty, Queue, QueueClosed, queueToHandle, ShutDown } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker, until } from './run-worker.js';

interface CallReport {
  state: string;
  name?: string;
  result?: unknown;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('close()', () => {
  it('makes put raise QueueClosed (Python 3.13 ShutDown) in every form', async () => {
    const queue = new Queue();
    queue.close();
    queue.close(); // idempotent
    expect(queue.closed).toBe(true);
    expect(ShutDown).toBe(QueueClosed);
    expect(() => queue.putSync(1)).toThrow(QueueClosed);
    expect(() => queue.putNowait(1)).toThrow(QueueClosed);
    expect(await rejection(queue.put(1))).toBeInstanceOf(QueueClosed);
  });

  it('still delivers the items already in the queue, then get raises QueueClosed (not Empty)', async () => {
    const queue = new Queue<number>();
    for (const n of [1, 2, 3]) queue.putSync(n);
    queue.close();
    expect(queue.qsize()).toBe(3);
    expect([await queue.get(), queue.getSync(), queue.getNowait()]).toEqual([1, 2, 3]);
    expect(() => queue.getNowait()).toThrow(QueueClosed);
    expect(() => queue.getSync({ timeout: 10 })).toThrow(QueueClosed);
    expect(await rejection(queue.get())).toBeInstanceOf(QueueClosed);
  });

  it('ends for await once the queue is closed and drained', async () => {
    const queue = new Queue<number>();
    for (let i = 0; i < 5; i++) queue.putSync(i);
    setTimeout(() => {
      queue.putSync(5);
      queue.close();
    }, 20);
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('wakes async getters waiting on this thread with QueueClosed', async () => {
    const queue = new Queue();
    const waiting = [queue.get(), queue.get(), queue.get({ timeout: 60_000 })].map(rejection);
    setTimeout(() => queue.close(), 20);
    for (const error of await Promise.all(waiting)) expect(error).toBeInstanceOf(QueueClosed);
  });

  it('wakes getters blocked in getSync in other threads with QueueClosed', async () => {
    const queue = new Queue();
    const handle = queueToHandle(queue);
    const runs = [0, 1, 2].map(() => runWorker<CallReport>('blocked-call.mjs', { handle, call: 'getSync' }));
    await until(() => runs.every((run) => run.messages.length === 1), 'workers calling getSync');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs.every((run) => run.messages.length === 1)).toBe(true); // still blocked
    queue.close();
    for (const run of runs) {
      const [, report] = await run.done;
      expect(report).toMatchObject({ state: 'threw', name: 'QueueClosed' });
    }
  });

  it('wakes putters blocked on a full queue (in this thread and in others) with QueueClosed', async () => {
    const queue = new Queue<string>({ maxsize: 1 });
    queue.putSync('first');
    const handle = queueToHandle(queue);
    const run = runWorker<CallReport>('blocked-call.mjs', { handle, call: 'putSync', item: 'second' });
    const local = rejection(queue.put('third'));
    await until(() => run.messages.length === 1, 'worker calling putSync');
    await new Promise((resolve) => setTimeout(resolve, 50));
    queue.close();
    const [, report] = await run.done;
    expect(report).toMatchObject({ state: 'threw', name: 'QueueClosed' });
    expect(await local).toBeInstanceOf(QueueClosed);
    expect(queue.getSync()).toBe('first');
    expect(() => queue.getNowait()).toThrow(QueueClosed);
  });

  it('a blocked getSync in another thread times out with Empty while the queue stays open', async () => {
    const queue = new Queue();
    const run = runWorker<CallReport>('blocked-call.mjs', {
      handle: queueToHandle(queue),
      call: 'getSync',
      timeout: 50,
    });
    const [, report] = await run.done;
    expect(report).toMatchObject({ state: 'threw', name: 'Empty' });
    expect(new Empty().name).toBe('Empty');
  });

  it('a getSync blocked in another thread receives an item put here', async () => {
    const queue = new Queue();
    const run = runWorker<CallReport>('blocked-call.mjs', { handle: queueToHandle(queue), call: 'getSync' });
    await until(() => run.messages.length === 1, 'worker calling getSync');
    await queue.put({ hello: 'worker' });
    const [, report] = await run.done;
    expect(report).toEqual({ state: 'returned', result: { hello: 'worker' } });
  });
});
