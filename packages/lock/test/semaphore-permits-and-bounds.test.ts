import { BoundedSemaphore, Semaphore, ValueError } from '@weft/lock';
import { describe, expect, it } from 'vitest';

describe('Semaphore and BoundedSemaphore', () => {
  it('hands out its permits, then refuses or waits', async () => {
    const semaphore = new Semaphore(2);
    expect(semaphore.acquireSync()).toBe(true);
    expect(await semaphore.acquire()).toBe(true);
    expect(semaphore.acquireSync({ blocking: false })).toBe(false);
    const started = performance.now();
    expect(await semaphore.acquire({ timeout: 20 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    expect(semaphore.acquireSync({ timeout: 5 })).toBe(false);
    semaphore.release();
    expect(semaphore.value).toBe(1);
    expect(semaphore.acquireSync({ blocking: false })).toBe(true);
  });

  it('an unbounded Semaphore may be released above its initial value', () => {
    const semaphore = new Semaphore(0);
    semaphore.release(3);
    expect(semaphore.value).toBe(3);
  });

  it('release(n) wakes n async waiters', async () => {
    const semaphore = new Semaphore(0);
    const waiters = [semaphore.acquire(), semaphore.acquire(), semaphore.acquire()];
    semaphore.release(3);
    expect(await Promise.all(waiters)).toEqual([true, true, true]);
    expect(semaphore.value).toBe(0);
  });

  it('bad values are ValueErrors', () => {
    expect(() => new Semaphore(-1)).toThrow(ValueError);
    expect(() => new Semaphore(1.5)).toThrow(ValueError);
    expect(() => new Semaphore(1).release(0)).toThrow(ValueError);
    expect(() => new Semaphore(1).acquireSync({ blocking: false, timeout: 1 })).toThrow(ValueError);
  });

  it('over-releasing a BoundedSemaphore is a ValueError and adds nothing', () => {
    const semaphore = new BoundedSemaphore(2);
    expect(() => semaphore.release()).toThrow(ValueError);
    expect(() => semaphore.release()).toThrow('Semaphore released too many times');
    semaphore.acquireSync();
    semaphore.acquireSync();
    semaphore.release();
    expect(() => semaphore.release(2)).toThrow(ValueError);
    expect(semaphore.value).toBe(1);
    semaphore.release();
    expect(semaphore.value).toBe(2);
    expect(semaphore.bound).toBe(2);
  });

  it('withLock and guards return the permit on every path', async () => {
    const semaphore = new BoundedSemaphore(1);
    await expect(semaphore.withLock(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(semaphore.value).toBe(1);
    {
      using _held = semaphore.lockSync();
      expect(semaphore.value).toBe(0);
    }
    expect(semaphore.value).toBe(1);
  });

  it('a BoundedSemaphore rebuilt from its handle is still bounded', () => {
    const semaphore = new BoundedSemaphore(1);
    const twin = Semaphore.fromHandle(semaphore.toHandle());
    expect(twin).toBeInstanceOf(BoundedSemaphore);
    expect(() => twin.release()).toThrow(ValueError);
    expect(Semaphore.fromHandle(new Semaphore(1).toHandle())).not.toBeInstanceOf(BoundedSemaphore);
    expect(() => BoundedSemaphore.fromHandle(new Semaphore(1).toHandle())).toThrow(TypeError);
  });
});
