import { Worker } from 'node:worker_threads';
import { notify, useWaitAsyncFallback, wait, waitAsync } from '@weft/atomics-sync-shim';
import { afterEach, describe, expect, it } from 'vitest';
import { exitOf, fixture } from './worker-helpers.js';

afterEach(() => useWaitAsyncFallback(false));

/** Main thread plays the even turns, the worker the odd ones; both bump a plain counter on their turn. */
async function pingPong(rounds: number, workerMode: string, mainMode: 'sync' | 'async') {
  const sab = new SharedArrayBuffer(12);
  const turn = new Int32Array(sab, 0, 1);
  const counters = new Int32Array(sab, 4, 2);
  const worker = new Worker(fixture('ping-pong.mjs'), { workerData: { sab, rounds, mode: workerMode } });
  const exited = exitOf(worker);
  for (let k = 0; k < rounds; k++) {
    counters[0]!++;
    Atomics.store(turn, 0, 2 * k + 1);
    notify(turn, 0);
    if (mainMode === 'sync') {
      while (Atomics.load(turn, 0) === 2 * k + 1) wait(turn, 0, 2 * k + 1);
    } else {
      while (Atomics.load(turn, 0) === 2 * k + 1) await waitAsync(turn, 0, 2 * k + 1);
    }
    expect(Atomics.load(turn, 0)).toBe(2 * k + 2);
  }
  expect(await exited).toBe(0);
  return { plain: counters[0], workerRounds: counters[1], turn: Atomics.load(turn, 0) };
}

describe('ping-pong across real threads keeps exact counts', () => {
  it('wait/notify on both sides, 20 000 round trips', async () => {
    expect(await pingPong(20_000, 'wait', 'sync')).toEqual({
      plain: 40_000,
      workerRounds: 20_000,
      turn: 40_000,
    });
  });

  it('waitUntilChanged in the worker, 20 000 round trips', async () => {
    expect(await pingPong(20_000, 'wait-until-changed', 'sync')).toEqual({
      plain: 40_000,
      workerRounds: 20_000,
      turn: 40_000,
    });
  });

  it('native waitAsync on both sides, 5 000 round trips', async () => {
    expect(await pingPong(5_000, 'async', 'async')).toEqual({
      plain: 10_000,
      workerRounds: 5_000,
      turn: 10_000,
    });
  });

  it('the polling fallback of waitAsync on both sides, 300 round trips', async () => {
    useWaitAsyncFallback(true);
    expect(await pingPong(300, 'fallback', 'async')).toEqual({ plain: 600, workerRounds: 300, turn: 600 });
  });
});
