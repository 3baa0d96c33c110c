import { Condition, Lock, OwnerDiedError, RLock } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { startWorker } from './run-worker.js';

async function dieHolding(lock: Lock | RLock, how: string): Promise<number> {
  const worker = startWorker('die-holding-lock', {
    handle: lock.toHandle(),
    kind: lock instanceof RLock ? 'RLock' : 'Lock',
    how,
  });
  const threadId = worker.threadId; // reads -1 once the worker has exited
  worker.on('error', () => {});
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await new Promise((resolve) => worker.once('message', resolve));
  if (how === 'hang') await worker.terminate();
  await exited;
  return threadId;
}

describe('a lock whose holder thread dies', () => {
  for (const how of ['return', 'exit', 'throw', 'hang']) {
    it(`waiters get OwnerDiedError, not a silent hang (holder ${how === 'hang' ? 'terminated' : how})`, async () => {
      const lock = new Lock();
      const holder = dieHolding(lock, how);
      // Wait for the holder to hold it, then wait on it with no timeout: async and sync.
      while (!lock.locked()) await new Promise((resolve) => setTimeout(resolve, 1));
      const waiting = lock.acquire().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      const threadId = await holder;
      const error = await waiting;
      expect(error).toBeInstanceOf(OwnerDiedError);
      expect((error as OwnerDiedError).ownerThreadId).toBe(threadId);
      expect(() => lock.acquireSync()).toThrow(OwnerDiedError);
      expect(() => lock.acquireSync({ timeout: 10 })).toThrow(OwnerDiedError);
      expect(() => lock.acquireSync({ blocking: false })).toThrow(OwnerDiedError);
      // A Lock may be released by any thread: whoever repairs the data releases it, and it works again.
      lock.release();
      expect(lock.acquireSync({ timeout: 1000 })).toBe(true);
      lock.release();
    });
  }

  it('an RLock whose owner died raises OwnerDiedError to a blocked sync waiter', async () => {
    const lock = new RLock();
    await dieHolding(lock, 'return');
    expect(() => lock.acquireSync()).toThrow(OwnerDiedError);
    await expect(lock.acquire({ timeout: 10_000 })).rejects.toBeInstanceOf(OwnerDiedError);
  });

  it('a Condition whose lock holder died reports it to the thread taking the lock', async () => {
    const lock = new Lock();
    const condition = new Condition(lock);
    await dieHolding(lock, 'exit');
    await expect(condition.acquire()).rejects.toBeInstanceOf(OwnerDiedError);
  });
});
