import { ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { increment, signalThenWait } from './fixtures/tasks.mjs';
import { gateReached, newGate, openGate, until } from './helpers.js';

describe('shutdown', () => {
  it('cancelFutures cancels every queued task; the running one finishes', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const started = newGate();
    const release = newGate();
    const first = executor.submit(signalThenWait, started, release, 'first'.length);
    const queued = Array.from({ length: 5 }, (_, i) => executor.submit(increment, i));
    await until(() => gateReached(started), 30_000, 'the first task to start');
    const shutdown = executor.shutdown({ wait: true, cancelFutures: true });
    for (const future of queued) expect(future.cancelled()).toBe(true);
    expect(first.cancelled()).toBe(false);
    openGate(release);
    await shutdown;
    expect(first.resultSync()).toBe(5);
  });

  it('wait: false resolves at once; the submitted tasks still complete', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const futures = Array.from({ length: 20 }, (_, i) => executor.submit(increment, i));
    await executor.shutdown({ wait: false });
    expect(await Promise.all(futures)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('wait: true resolves only after every task is done', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const futures = Array.from({ length: 50 }, (_, i) => executor.submit(increment, i));
    await executor.shutdown();
    expect(futures.every((future) => future.done())).toBe(true);
  });
});
