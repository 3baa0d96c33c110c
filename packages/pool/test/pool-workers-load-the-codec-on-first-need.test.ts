import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { describeNumber, echoOrSignal, twice } from './fixtures/plain-tasks.mjs';

// A pool worker loads @weft/codec only when a payload or a result needs it (see src/worker.ts). These
// tests start from workers that have moved numbers only, so the codec is not loaded in them yet.
describe('a worker that has moved only numbers so far', () => {
  it('decodes a SharedArrayBuffer announced after it started, while the announcing thread is blocked', async () => {
    await using pool = new Pool(1);
    expect(await pool.apply(echoOrSignal, [7])).toBe(7); // worker up, function known, numbers only
    for (let round = 0; round < 3; round++) {
      // A buffer the worker has never heard of: encoding the task announces it to every thread.
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const result = pool.applyAsync(echoOrSignal, [flag.buffer as SharedArrayBuffer]);
      // Blocked, this thread cannot answer a worker that asks for an unknown buffer (it would wait 5 s
      // and fail): the worker must have kept the announcement from before its codec loaded.
      // ('not-equal': the worker was done before this thread began to wait; either way this thread
      // never returned to its event loop meanwhile, so it answered nothing.)
      expect(Atomics.wait(flag, 0, 0, 3000)).not.toBe('timed-out');
      expect(Atomics.load(flag, 0)).toBe(1);
      expect(await result.get(3000)).toBe('signalled');
    }
  });

  it('returns its first value that is not numbers, then takes such arguments', async () => {
    await using pool = new Pool(2);
    expect(await pool.map(twice, [1, 2, 3, 4], 1)).toEqual([2, 4, 6, 8]);
    expect(await pool.map(describeNumber, [5, 6], 1)).toEqual([
      { value: 5, text: 'number 5', parts: [5, '5'] },
      { value: 6, text: 'number 6', parts: [6, '6'] },
    ]);
    const fresh = new Pool(1);
    try {
      // The very first payload of a fresh worker needs the codec.
      expect(await fresh.apply(describeNumber, [8])).toEqual({ value: 8, text: 'number 8', parts: [8, '8'] });
      expect(await fresh.apply(echoOrSignal, [new SharedArrayBuffer(4)])).toBe('signalled');
    } finally {
      await fresh.terminate();
    }
  });
});
