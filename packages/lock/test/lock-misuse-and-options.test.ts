import { Lock, RuntimeError, TimeoutError, ValueError } from '@weft/lock';
import { describe, expect, it } from 'vitest';

describe('Lock in one thread', () => {
  it('acquires, reports locked, releases', async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    expect(await lock.acquire()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.ownerThreadId).toBe(0);
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.ownerThreadId).toBeUndefined();
    expect(lock.acquireSync()).toBe(true);
    lock.release();
  });

  it('blocking: false answers at once', async () => {
    const lock = new Lock();
    expect(lock.acquireSync({ blocking: false })).toBe(true);
    expect(lock.acquireSync({ blocking: false })).toBe(false);
    expect(await lock.acquire({ blocking: false })).toBe(false);
    lock.release();
    expect(await lock.acquire({ blocking: false })).toBe(true);
  });

  it('blocking: false with a timeout is a ValueError, as in Python', async () => {
    const lock = new Lock();
    expect(() => lock.acquireSync({ blocking: false, timeout: 10 })).toThrow(ValueError);
    await expect(lock.acquire({ blocking: false, timeout: 10 })).rejects.toThrow(ValueError);
    expect(lock.locked()).toBe(false);
  });

  it('a negative or NaN timeout is a ValueError', async () => {
    const lock = new Lock();
    expect(() => lock.acquireSync({ timeout: -5 })).toThrow(ValueError);
    await expect(lock.acquire({ timeout: Number.NaN })).rejects.toThrow(ValueError);
  });

  it('a timed acquire of a held lock returns false, not before the timeout', async () => {
    const lock = new Lock();
    lock.acquireSync();
    let started = performance.now();
    expect(lock.acquireSync({ timeout: 30 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    started = performance.now();
    expect(await lock.acquire({ timeout: 30 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(lock.acquireSync({ timeout: 0 })).toBe(false);
  });

  it('releasing an unlocked lock is a RuntimeError', () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(RuntimeError);
    try {
      lock.release();
    } catch (error) {
      expect((error as RuntimeError).code).toBe('ERR_RELEASE_UNLOCKED');
      expect((error as Error).message).toBe('release unlocked lock');
    }
    lock.acquireSync();
    lock.release();
    expect(() => lock.release()).toThrow(RuntimeError);
  });

  it('an aborted async acquire rejects with the reason and leaves the lock usable', async () => {
    const lock = new Lock();
    lock.acquireSync();
    const controller = new AbortController();
    const pending = lock.acquire({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(pending).rejects.toThrow('stop');
    await expect(lock.acquire({ signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow(
      'already',
    );
    lock.release();
    expect(await lock.acquire({ timeout: 1000 })).toBe(true);
    lock.release();
  });

  it('an async waiter gets the lock when a timer releases it (the event loop keeps running)', async () => {
    const lock = new Lock();
    lock.acquireSync();
    setTimeout(() => lock.release(), 20);
    expect(await lock.acquire()).toBe(true);
    lock.release();
  });

  it('withLock releases on return and on throw, for sync and async functions', async () => {
    const lock = new Lock();
    expect(await lock.withLock(() => 7)).toBe(7);
    expect(lock.locked()).toBe(false);
    expect(
      await lock.withLock(async () => {
        expect(lock.locked()).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return 'async';
      }),
    ).toBe('async');
    expect(lock.locked()).toBe(false);
    await expect(
      lock.withLock(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(lock.locked()).toBe(false);
    expect(() =>
      lock.withLockSync(() => {
        throw new Error('sync boom');
      }),
    ).toThrow('sync boom');
    expect(lock.locked()).toBe(false);
    expect(lock.withLockSync(() => 3)).toBe(3);
  });

  it('withLock with a timeout on a held lock throws TimeoutError without running fn', async () => {
    const lock = new Lock();
    lock.acquireSync();
    let ran = false;
    await expect(lock.withLock(() => (ran = true), { timeout: 5 })).rejects.toThrow(TimeoutError);
    expect(() => lock.withLockSync(() => (ran = true), { timeout: 5 })).toThrow(TimeoutError);
    expect(ran).toBe(false);
    lock.release();
  });

  it('using guards release on scope exit, also when the scope throws, and only once', async () => {
    const lock = new Lock();
    {
      using _held = lock.lockSync();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    expect(() => {
      using _held = lock.lockSync();
      throw new Error('inside');
    }).toThrow('inside');
    expect(lock.locked()).toBe(false);
    {
      using held = await lock.lock();
      held.release();
      expect(lock.locked()).toBe(false);
    }
    expect(lock.locked()).toBe(false);
  });

  it('rebuilds over the same memory from its handle', () => {
    const lock = new Lock();
    const twin = Lock.fromHandle(lock.toHandle());
    lock.acquireSync();
    expect(twin.locked()).toBe(true);
    twin.release();
    expect(lock.locked()).toBe(false);
    expect(() => Lock.fromHandle({ buffer: new ArrayBuffer(4) as unknown as SharedArrayBuffer })).toThrow(
      TypeError,
    );
  });
});
