import { Barrier, BrokenBarrierError, ValueError } from '@weft/lock';
import { describe, expect, it } from 'vitest';

describe('Barrier in one thread (async parties)', () => {
  it('releases all parties with distinct indices 0..parties-1, runs the action once per cycle', async () => {
    let actions = 0;
    const barrier = new Barrier(3, { action: () => actions++ });
    expect(barrier.parties).toBe(3);
    for (let cycle = 0; cycle < 5; cycle++) {
      const indices = await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
      expect([...indices].sort()).toEqual([0, 1, 2]);
    }
    expect(actions).toBe(5);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });

  it('abort() breaks every waiter and later waits until reset()', async () => {
    const barrier = new Barrier(3);
    const waiters = [outcome(barrier.wait()), outcome(barrier.wait())];
    while (barrier.nWaiting < 2) await sleep(1);
    barrier.abort();
    expect(await Promise.all(waiters)).toEqual(['BrokenBarrierError', 'BrokenBarrierError']);
    expect(barrier.broken).toBe(true);
    await expect(barrier.wait()).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(() => barrier.waitSync()).toThrow(BrokenBarrierError);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const indices = await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
    expect([...indices].sort()).toEqual([0, 1, 2]);
  });

  it('reset() with waiters breaks them and leaves the barrier usable', async () => {
    const barrier = new Barrier(2);
    const waiter = barrier.wait();
    while (barrier.nWaiting < 1) await sleep(1);
    barrier.reset();
    await expect(waiter).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(barrier.broken).toBe(false);
    expect((await Promise.all([barrier.wait(), barrier.wait()])).sort()).toEqual([0, 1]);
  });

  it('a timeout breaks the barrier for everyone', async () => {
    const barrier = new Barrier(3, { timeout: 20 });
    const patient = outcome(barrier.wait({ timeout: 10_000 }));
    const started = performance.now();
    await expect(barrier.wait()).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    expect(await patient).toBe('BrokenBarrierError');
    expect(barrier.broken).toBe(true);
    expect(() => barrier.waitSync({ timeout: 5 })).toThrow(BrokenBarrierError);
  });

  it('an action that throws breaks the barrier; its caller gets the error, others BrokenBarrierError', async () => {
    const barrier = new Barrier(2, {
      action: () => {
        throw new Error('action failed');
      },
    });
    const first = outcome(barrier.wait());
    while (barrier.nWaiting < 1) await sleep(1);
    await expect(barrier.wait()).rejects.toThrow('action failed');
    expect(await first).toBe('BrokenBarrierError');
    expect(barrier.broken).toBe(true);
  });

  it('a Barrier of one party passes at once', () => {
    expect(new Barrier(1).waitSync()).toBe(0);
  });

  it('bad parties are ValueErrors', () => {
    expect(() => new Barrier(0)).toThrow(ValueError);
    expect(() => new Barrier(2.5)).toThrow(ValueError);
  });
});

/** How a wait ended, observed at once so that a rejection is never left unhandled meanwhile. */
function outcome(wait: Promise<number>): Promise<string> {
  return wait.then(
    (index) => `passed ${index}`,
    (error: Error) => error.name,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
