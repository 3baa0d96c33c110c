import { Lock, RLock } from '@weft/lock';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

// A waiter reads the lock word, sees an owner, and checks whether that owner has exited. The owner may
// release and exit in between: the waiter must then take the lock, not report OwnerDiedError (seen in
// CI before the fix, in the examples: ten Process threads taking a Lock in turn). Many short-lived
// threads, each taking the lock once and exiting right after releasing it, while this thread keeps
// taking it too; every increment is kept and nobody sees a dead owner.
describe('threads that release a lock and exit at once', () => {
  for (const kind of ['Lock', 'RLock'] as const) {
    it(`never look dead to the waiters of a ${kind}`, async () => {
      const lock = kind === 'RLock' ? new RLock() : new Lock();
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const THREADS = 24;
      let mine = 0;
      const threads = Array.from({ length: THREADS }, () =>
        runWorker('take-release-exit', { handle: lock.toHandle(), kind, counter: counter.buffer }),
      );
      let settled = false;
      const all = Promise.all(threads).finally(() => {
        settled = true;
      });
      while (!settled) {
        lock.acquireSync();
        counter[0]! += 1;
        mine++;
        lock.release();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await all;
      expect(counter[0]).toBe(THREADS + mine);
      expect(lock.acquireSync({ blocking: false })).toBe(true);
    });
  }
});
