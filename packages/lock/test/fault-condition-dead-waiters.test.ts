import { Worker } from 'node:worker_threads';
import { Condition, Lock } from '@weft/lock';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => new URL(`./fixtures/${name}.mjs`, import.meta.url);

/** Waiters registered in the Condition's word 1 (its low 16 bits). */
function registeredWaiters(condition: Condition): number {
  return Atomics.load(new Int32Array(condition.toHandle().buffer, 0, 2), 1) & 0xffff;
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > 10_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Starts `count` waits in a worker (sync: one; async: `count` flows) and terminates it once all wait. */
async function dieWaiting(condition: Condition, kind: 'condition-sync' | 'condition-async', count: number) {
  const before = registeredWaiters(condition);
  const worker = new Worker(fixture('wait-until-killed'), {
    workerData: { kind, handle: condition.toHandle(), waits: count },
  });
  worker.on('error', () => {});
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await until(() => registeredWaiters(condition) === before + count, 'the worker to wait');
  await worker.terminate();
  await exited;
}

describe('threads terminated while waiting on a Condition', () => {
  for (const kind of ['condition-sync', 'condition-async'] as const) {
    it(`are unregistered: a notify is not spent on them, and a timed-out wait returns false (${kind})`, async () => {
      const condition = new Condition(new Lock());
      await dieWaiting(condition, kind, kind === 'condition-sync' ? 1 : 3);
      // A notify with only dead waiters notifies nobody…
      await condition.acquire();
      condition.notify();
      condition.release();
      // …so a live waiter that comes later and times out was not notified.
      await condition.acquire();
      expect(await condition.wait({ timeout: 200 })).toBe(false);
      condition.release();
      expect(condition.acquireSync()).toBe(true);
      expect(condition.waitSync({ timeout: 100 })).toBe(false);
      condition.release();
      expect(registeredWaiters(condition)).toBe(0);
    });
  }

  it('notify(n) among dead and live waiters wakes exactly n live ones', async () => {
    const condition = new Condition(new Lock());
    await dieWaiting(condition, 'condition-async', 2);
    // Three live waiters on this thread.
    const results: boolean[] = [];
    const waiters = [0, 1, 2].map(async () => {
      await condition.acquire();
      results.push(await condition.wait({ timeout: 1500 }));
      condition.release();
    });
    await until(() => registeredWaiters(condition) === 5, 'three live waiters besides the dead');
    await condition.acquire();
    condition.notify(2);
    condition.release();
    await Promise.all(waiters);
    expect(results.filter(Boolean).length).toBe(2);
    expect(results.filter((notified) => !notified).length).toBe(1);
    expect(registeredWaiters(condition)).toBe(0);
  });
});
