import { JoinableQueue, Queue, queueToHandle, ValueError } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker, until } from './run-worker.js';

interface CallReport {
  state: string;
  result?: unknown;
}

describe('taskDone() and join()', () => {
  it('join resolves once every item put has been marked done (the notes s4-28)', async () => {
    const queue = new Queue<number>(5);
    for (let i = 0; i < 5; i++) queue.putSync(i);
    expect(queue.full()).toBe(true);
    let joined = false;
    const join = queue.join().then((result) => {
      joined = result;
    });
    for (let i = 0; i < 5; i++) {
      queue.getSync();
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(joined).toBe(false);
      queue.taskDone();
    }
    await join;
    expect(joined).toBe(true);
    expect(queue.empty()).toBe(true);
  });

  it('join and joinSync return at once when nothing is unfinished', async () => {
    const queue = new JoinableQueue();
    expect(await queue.join()).toBe(true);
    expect(queue.joinSync()).toBe(true);
  });

  it('join with a timeout returns false, not before the timeout', async () => {
    const queue = new JoinableQueue();
    queue.putSync('pending');
    let start = performance.now();
    expect(await queue.join({ timeout: 50 })).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(50);
    start = performance.now();
    expect(queue.joinSync({ timeout: 50 })).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(50);
  });

  it('one taskDone too many raises ValueError', () => {
    const queue = new JoinableQueue();
    expect(() => queue.taskDone()).toThrow(ValueError);
    queue.putSync(1);
    queue.getSync();
    queue.taskDone();
    expect(() => queue.taskDone()).toThrow(/too many times/);
  });

  it('a worker consuming a JoinableQueue lets the producer join; joinSync in another thread wakes too', async () => {
    const tasks = new JoinableQueue<number | null>();
    const results = new Queue<number>();
    const numbers = Array.from({ length: 200 }, (_, i) => i);
    for (const n of numbers) await tasks.put(n);
    await tasks.put(null);
    const joiner = runWorker<CallReport>('blocked-call.mjs', {
      handle: queueToHandle(tasks),
      call: 'joinSync',
    });
    await until(() => joiner.messages.length >= 1, 'joiner calling joinSync');
    const worker = runWorker('task-worker.mjs', {
      tasks: queueToHandle(tasks),
      results: queueToHandle(results),
    });
    expect(await tasks.join({ timeout: 60_000 })).toBe(true);
    await worker.done;
    const squares: number[] = [];
    while (!results.empty()) squares.push(results.getSync());
    expect(squares).toEqual(numbers.map((n) => n * n));
    const [, report] = await joiner.done;
    expect(report).toEqual({ state: 'returned', result: true });
  });
});
