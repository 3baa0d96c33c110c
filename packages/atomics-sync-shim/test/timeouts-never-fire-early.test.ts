import { Worker } from 'node:worker_threads';
import {
  createSyncBridge,
  SyncBridgeTimeoutError,
  useWaitAsyncFallback,
  wait,
  waitAsync,
  waitUntilChanged,
} from '@weft/atomics-sync-shim';
import { afterEach, describe, expect, it } from 'vitest';
import { exitOf, firstMessage, fixture } from './worker-helpers.js';

const TIMEOUTS = [0.5, 1, 3, 10, 25];

afterEach(() => useWaitAsyncFallback(false));

function word(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

describe('a timed-out wait never returns before its timeout', () => {
  it('wait on the main thread', () => {
    for (const timeout of TIMEOUTS) {
      const start = performance.now();
      expect(wait(word(), 0, 0, timeout)).toBe('timed-out');
      expect(performance.now() - start).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('waitUntilChanged absorbs bare notifies from another thread and still times out no earlier than asked', async () => {
    const sab = new SharedArrayBuffer(12);
    const i32 = new Int32Array(sab);
    const spammer = new Worker(fixture('notify-spammer.mjs'), { workerData: { sab } });
    const exited = exitOf(spammer);
    try {
      // wait() reports a bare notify as 'ok' (the caller re-checks) ...
      expect(wait(i32, 0, 0)).toBe('ok');
      expect(Atomics.load(i32, 0)).toBe(0);
      // ... waitUntilChanged absorbs them, and its timeout still holds.
      for (const timeout of [5, 50]) {
        const start = performance.now();
        expect(waitUntilChanged(i32, 0, 0, timeout)).toBe('timed-out');
        expect(performance.now() - start).toBeGreaterThanOrEqual(timeout);
      }
    } finally {
      Atomics.store(i32, 1, 1);
    }
    expect(await exited).toBe(0);
    expect(Atomics.load(i32, 2)).toBeGreaterThanOrEqual(1);
  });

  it('native waitAsync', async () => {
    for (const timeout of TIMEOUTS) {
      const start = performance.now();
      expect(await waitAsync(word(), 0, 0, timeout)).toBe('timed-out');
      expect(performance.now() - start).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('the waitAsync fallback', async () => {
    useWaitAsyncFallback(true);
    for (const timeout of TIMEOUTS) {
      const start = performance.now();
      expect(await waitAsync(word(), 0, 0, timeout)).toBe('timed-out');
      expect(performance.now() - start).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('every kind of wait in a worker thread', async () => {
    const worker = new Worker(fixture('timeouts.mjs'), { workerData: { timeouts: TIMEOUTS } });
    const report = (await firstMessage(worker)) as Array<{
      kind: string;
      timeout: number;
      result: string;
      elapsed: number;
    }>;
    expect(report).toHaveLength(TIMEOUTS.length * 4);
    for (const { result, elapsed, timeout } of report) {
      expect(result).toBe('timed-out');
      expect(elapsed).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('a sync bridge call', async () => {
    const bridge = createSyncBridge(fixture('bridge-module.mjs'));
    try {
      bridge.call('add', 1, 1); // the helper is up
      for (const timeout of [1, 10, 30]) {
        const start = performance.now();
        expect(() => bridge.callWithTimeout(timeout, 'sleep', 60_000, 'late')).toThrow(
          SyncBridgeTimeoutError,
        );
        expect(performance.now() - start).toBeGreaterThanOrEqual(timeout);
      }
    } finally {
      await bridge.close();
    }
  });

  it('zero and negative timeouts time out at once on an equal word, and NaN means forever', async () => {
    const i32 = word();
    expect(wait(i32, 0, 0, 0)).toBe('timed-out');
    expect(wait(i32, 0, 0, -5)).toBe('timed-out');
    expect(await waitAsync(i32, 0, 0, 0)).toBe('timed-out');
    expect(await waitAsync(i32, 0, 0, -1)).toBe('timed-out');
    const forever = waitAsync(i32, 0, 0, Number.NaN);
    const settled = await Promise.race([
      forever,
      new Promise((resolve) => setTimeout(() => resolve('pending'), 20)),
    ]);
    expect(settled).toBe('pending');
    Atomics.store(i32, 0, 1);
    Atomics.notify(i32, 0);
    expect(await forever).toBe('ok');
  });
});
