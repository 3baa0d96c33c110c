import { Worker } from 'node:worker_threads';
import {
  canBlock,
  notify,
  useWaitAsyncFallback,
  wait,
  waitAsync,
  waitUntilChanged,
} from '@weft/atomics-sync-shim';
import { afterEach, describe, expect, it } from 'vitest';
import { exitOf, fixture } from './worker-helpers.js';

afterEach(() => useWaitAsyncFallback(false));

describe('a word that already differs is reported at once', () => {
  it('wait returns not-equal without blocking, whatever the timeout', () => {
    const i32 = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(i32, 1, 7);
    expect(wait(i32, 1, 6)).toBe('not-equal');
    expect(wait(i32, 1, 6, 0)).toBe('not-equal');
    expect(wait(i32, 1, 6, 1_000_000)).toBe('not-equal');
    expect(waitUntilChanged(i32, 1, 6)).toBe('ok');
  });

  it('waitAsync resolves not-equal, natively and in the fallback', async () => {
    const i32 = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(i32, 0, 1);
    expect(await waitAsync(i32, 0, 0)).toBe('not-equal');
    expect(await waitAsync(i32, 0, 0, 0)).toBe('not-equal');
    useWaitAsyncFallback(true);
    expect(await waitAsync(i32, 0, 0)).toBe('not-equal');
  });

  it('a change made by another thread while waiting ends the wait with ok', async () => {
    const sab = new SharedArrayBuffer(12);
    const turn = new Int32Array(sab, 0, 1);
    const worker = new Worker(fixture('ping-pong.mjs'), { workerData: { sab, rounds: 1, mode: 'wait' } });
    const exited = exitOf(worker);
    Atomics.store(turn, 0, 1);
    notify(turn, 0);
    while (Atomics.load(turn, 0) === 1) expect(wait(turn, 0, 1)).not.toBe('timed-out');
    expect(Atomics.load(turn, 0)).toBe(2);
    expect(await exited).toBe(0);
  });

  it('bad input throws the platform error, and waitAsync rejects instead of throwing', async () => {
    const notShared = new Int32Array(4);
    expect(() => wait(notShared, 0, 0, 1)).toThrow(TypeError);
    const shared = new Int32Array(new SharedArrayBuffer(4));
    expect(() => wait(shared, 5, 0, 1)).toThrow(RangeError);
    await expect(waitAsync(notShared, 0, 0, 1)).rejects.toThrow(TypeError);
    await expect(waitAsync(shared, 5, 0, 1)).rejects.toThrow(RangeError);
  });

  it('canBlock is true on a Node thread', () => {
    expect(canBlock()).toBe(true);
  });
});
