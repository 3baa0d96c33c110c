import { Worker } from 'node:worker_threads';
import { notify, useWaitAsyncFallback, waitAsync } from '@weft/atomics-sync-shim';
import { afterEach, describe, expect, it } from 'vitest';
import { firstMessage, fixture } from './worker-helpers.js';

afterEach(() => useWaitAsyncFallback(false));

function word(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

describe.each([
  ['native', false],
  ['fallback', true],
])('waitAsync with an AbortSignal (%s)', (_, fallback) => {
  it('rejects with the reason when aborted while pending', async () => {
    useWaitAsyncFallback(fallback);
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const pending = waitAsync(word(), 0, 0, undefined, { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects with an AbortError when aborted without a reason, and at once when already aborted', async () => {
    useWaitAsyncFallback(fallback);
    const controller = new AbortController();
    const pending = waitAsync(word(), 0, 0, 60_000, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(waitAsync(word(), 0, 0, undefined, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('resolves normally when the word changes before any abort, and a later abort does nothing', async () => {
    useWaitAsyncFallback(fallback);
    const i32 = word();
    const controller = new AbortController();
    const pending = waitAsync(i32, 0, 0, undefined, { signal: controller.signal, spin: 0 });
    Atomics.store(i32, 0, 1);
    notify(i32, 0);
    expect(await pending).toBe('ok');
    controller.abort();
  });

  it('times out as usual when a signal is given but never aborted', async () => {
    useWaitAsyncFallback(fallback);
    const start = performance.now();
    expect(await waitAsync(word(), 0, 0, 5, { signal: new AbortController().signal })).toBe('timed-out');
    expect(performance.now() - start).toBeGreaterThanOrEqual(5);
  });
});

describe('an aborted native wait does not swallow a notify meant for another waiter', () => {
  it('forwards the wake-up it absorbs to the next waiter', async () => {
    const i32 = word();
    const controller = new AbortController();
    // First in line: a waiter that gives up. Its native waiter stays registered until woken.
    const abandoned = waitAsync(i32, 0, 0, undefined, { signal: controller.signal, spin: 0 });
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    // Second in line: a waiter that still listens.
    const listening = waitAsync(i32, 0, 0, 60_000, { spin: 0 });
    // A notify of one, without changing the word, so only the forwarded wake-up can reach it.
    expect(notify(i32, 0, 1)).toBe(1);
    expect(await listening).toBe('ok');
  });

  it('forwards through a chain of abandoned waiters', async () => {
    const i32 = word();
    for (let n = 0; n < 5; n++) {
      const controller = new AbortController();
      const abandoned = waitAsync(i32, 0, 0, undefined, { signal: controller.signal, spin: 0 });
      controller.abort();
      await expect(abandoned).rejects.toBeDefined();
    }
    const listening = waitAsync(i32, 0, 0, 60_000, { spin: 0 });
    expect(notify(i32, 0, 1)).toBe(1);
    expect(await listening).toBe('ok');
  });

  it('forwards a notify of one sent from another thread', async () => {
    const sab = new SharedArrayBuffer(4);
    const i32 = new Int32Array(sab);
    const controller = new AbortController();
    const abandoned = waitAsync(i32, 0, 0, undefined, { signal: controller.signal, spin: 0 });
    controller.abort(new Error('gave up'));
    await expect(abandoned).rejects.toThrow('gave up');
    const listening = waitAsync(i32, 0, 0, 60_000, { spin: 0 });
    const notifier = new Worker(fixture('notify-once.mjs'), { workerData: { sab } });
    expect(await firstMessage(notifier)).toBe(1);
    expect(await listening).toBe('ok');
  });
});
