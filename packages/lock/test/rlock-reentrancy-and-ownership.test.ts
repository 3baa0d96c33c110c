import { Condition, RLock, RuntimeError } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('RLock', () => {
  it('the owner may acquire it again and must release it as many times', async () => {
    const lock = new RLock();
    expect(lock.acquireSync()).toBe(true);
    expect(await lock.acquire()).toBe(true);
    expect(lock.acquireSync({ blocking: false })).toBe(true);
    lock.release();
    lock.release();
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('releasing an RLock nobody holds is a RuntimeError', () => {
    const lock = new RLock();
    expect(() => lock.release()).toThrow(RuntimeError);
    expect(() => lock.release()).toThrow('cannot release un-acquired lock');
  });

  it('another thread may neither take nor release it while it is held here', async () => {
    const lock = new RLock();
    lock.acquireSync();
    const result = await runWorker<{ acquired: boolean; timedAcquire: boolean; releaseError: string }>(
      'rlock-foreign',
      { handle: lock.toHandle() },
    );
    expect(result.acquired).toBe(false);
    expect(result.timedAcquire).toBe(false);
    expect(result.releaseError).toBe('RuntimeError:ERR_NOT_OWNER');
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('the levels of one owner never carry over to the next one, after plain use or a Condition wait', async () => {
    const lock = new RLock();
    lock.acquireSync();
    lock.acquireSync();
    lock.acquireSync();
    lock.release();
    lock.release();
    lock.release();
    let result = await runWorker<{ acquired: boolean; freeAfterOneRelease: boolean }>('rlock-take-once', {
      handle: lock.toHandle(),
    });
    expect(result).toEqual({ acquired: true, freeAfterOneRelease: true });

    const condition = new Condition(lock);
    lock.acquireSync();
    lock.acquireSync();
    expect(await condition.wait({ timeout: 5 })).toBe(false); // released both levels, took both back
    lock.release();
    expect(lock.locked()).toBe(true);
    lock.release();
    result = await runWorker('rlock-take-once', { handle: lock.toHandle() });
    expect(result).toEqual({ acquired: true, freeAfterOneRelease: true });
  });

  it('withLock nests inside itself', async () => {
    const lock = new RLock();
    const value = await lock.withLock(() => lock.withLockSync(() => lock.withLock(async () => 'deep')));
    expect(value).toBe('deep');
    expect(lock.locked()).toBe(false);
  });
});
