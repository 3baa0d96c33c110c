import { Condition, Lock, RLock, RuntimeError } from '@weft/lock';
import { describe, expect, it } from 'vitest';

describe('Condition', () => {
  it('wait and notify without holding the lock are RuntimeErrors', async () => {
    const condition = new Condition();
    await expect(condition.wait()).rejects.toThrow(RuntimeError);
    expect(() => condition.waitSync()).toThrow('cannot wait on un-acquired lock');
    expect(() => condition.notify()).toThrow('cannot notify on un-acquired lock');
    expect(() => condition.notifyAll()).toThrow(RuntimeError);
    const withLock = new Condition(new Lock());
    expect(() => withLock.notify()).toThrow(RuntimeError);
  });

  it('a timed-out wait returns false and still holds the lock (re-acquired, as in Python)', async () => {
    for (const lock of [new Lock(), new RLock()]) {
      const condition = new Condition(lock);
      condition.acquireSync();
      const started = performance.now();
      expect(await condition.wait({ timeout: 20 })).toBe(false);
      expect(performance.now() - started).toBeGreaterThanOrEqual(19);
      expect(lock.locked()).toBe(true);
      expect(condition.waitSync({ timeout: 5 })).toBe(false);
      expect(lock.locked()).toBe(true);
      condition.release();
      expect(lock.locked()).toBe(false);
    }
  });

  it('wait releases every level of an RLock and restores them', async () => {
    const lock = new RLock();
    const condition = new Condition(lock);
    lock.acquireSync();
    lock.acquireSync();
    const waiting = condition.wait({ timeout: 10_000 });
    // The waiter released the RLock completely, so this async acquire succeeds while it waits.
    expect(await lock.acquire({ timeout: 10_000 })).toBe(true);
    condition.notify();
    lock.release();
    expect(await waiting).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('notify(n) releases exactly n async waiters; notifyAll the rest', async () => {
    const condition = new Condition(new Lock());
    const woken: number[] = [];
    let entered = 0;
    const waiters = [0, 1, 2, 3].map(async (i) => {
      await condition.acquire();
      try {
        entered++;
        expect(await condition.wait()).toBe(true);
        woken.push(i);
      } finally {
        condition.release();
      }
    });
    // A waiter counts itself holding the lock and registers in wait() before releasing it, so once we
    // hold the lock and see 4, all four are waiting.
    while (!(await condition.withLock(() => entered === 4))) await sleep(1);
    await condition.withLock(() => condition.notify(2));
    while (woken.length < 2) await sleep(1);
    await sleep(30);
    expect(woken.length).toBe(2);
    await condition.withLock(() => condition.notifyAll());
    await Promise.all(waiters);
    expect(woken.length).toBe(4);
  });

  it('waitFor returns the predicate value, or its last falsy value on timeout', async () => {
    const condition = new Condition();
    let value = 0;
    await condition.acquire();
    expect(await condition.waitFor(() => value, { timeout: 10 })).toBe(0);
    expect(condition.waitForSync(() => 'ready')).toBe('ready');
    setTimeout(() => {
      condition.withLockSync(() => {
        value = 42;
        condition.notifyAll();
      });
    }, 10);
    // The setTimeout above needs the lock, which wait() releases while it waits.
    expect(await condition.waitFor(() => value, { timeout: 10_000 })).toBe(42);
    condition.release();
  });

  it('an aborted wait rejects after re-acquiring the lock', async () => {
    const condition = new Condition(new Lock());
    await condition.acquire();
    const controller = new AbortController();
    const pending = condition.wait({ signal: controller.signal });
    controller.abort(new Error('abort'));
    await expect(pending).rejects.toThrow('abort');
    expect(() => condition.notify()).not.toThrow();
    condition.release();
  });

  it('the constructor refuses something that is not a Lock or RLock', () => {
    expect(() => new Condition({} as Lock)).toThrow(TypeError);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
