import { Barrier } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

async function waitersThen(barrier: Barrier, count: number, act: () => void): Promise<string[]> {
  const counters = new SharedArrayBuffer(4);
  const cells = new Int32Array(counters);
  const results = Array.from({ length: count }, (_, i) =>
    runWorker<string>('barrier-broken-waiter', {
      handle: barrier.toHandle(),
      counters,
      mode: i % 2 ? 'async' : 'sync',
    }),
  );
  // Every worker has called wait() once nWaiting counts it (and it announced itself first).
  while (Atomics.load(cells, 0) < count || barrier.nWaiting < count) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  act();
  return Promise.all(results);
}

describe('breaking a Barrier reaches every waiting worker', () => {
  it('abort(): every waiter, sync and async, gets BrokenBarrierError', async () => {
    const barrier = new Barrier(5);
    expect(await waitersThen(barrier, 4, () => barrier.abort())).toEqual(Array(4).fill('BrokenBarrierError'));
    expect(barrier.broken).toBe(true);
  });

  it('reset(): every waiter gets BrokenBarrierError and the barrier works again', async () => {
    const barrier = new Barrier(4);
    expect(await waitersThen(barrier, 3, () => barrier.reset())).toEqual(Array(3).fill('BrokenBarrierError'));
    expect(barrier.broken).toBe(false);
    let mine: Promise<number> | undefined;
    const passed = await waitersThen(barrier, 3, () => {
      mine = barrier.wait();
    });
    const indices = [...passed.map((result) => Number(result.split(' ')[1])), await mine!];
    expect(passed.every((result) => result.startsWith('passed'))).toBe(true);
    expect(indices.sort()).toEqual([0, 1, 2, 3]);
  });

  it("one waiter's timeout breaks it for every other waiter", async () => {
    const barrier = new Barrier(5);
    let mine: Promise<string> | undefined;
    const results = await waitersThen(barrier, 3, () => {
      mine = barrier.wait({ timeout: 10 }).then(
        () => 'passed',
        (error: Error) => error.message,
      );
    });
    expect(results).toEqual(Array(3).fill('BrokenBarrierError'));
    expect(await mine).toBe('timed out waiting at the barrier');
  });
});
