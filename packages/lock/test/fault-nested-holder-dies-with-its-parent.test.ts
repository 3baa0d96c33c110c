import { Worker } from 'node:worker_threads';
import { Lock, OwnerDiedError } from '@weft/lock';
import { describe, expect, it } from 'vitest';

describe("a lock held by a worker's own worker, when that parent worker is terminated", () => {
  it('the holder died with its parent: waiters get OwnerDiedError, not a timeout', async () => {
    const lock = new Lock();
    const parent = new Worker(new URL('./fixtures/nested-holder.mjs', import.meta.url), {
      workerData: { role: 'parent', handle: lock.toHandle() },
    });
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    const { holder } = await new Promise<{ holder: number }>((resolve) => parent.once('message', resolve));
    expect(lock.ownerThreadId).toBe(holder);
    // Terminating the parent stops its own workers too; only the parent heard the holder's exit, and
    // it was stopping.
    await parent.terminate();
    await exited;
    const outcome = await lock.acquire({ timeout: 5000 }).then(
      (acquired) => acquired,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(OwnerDiedError);
    expect((outcome as OwnerDiedError).ownerThreadId).toBe(holder);
  });
});
