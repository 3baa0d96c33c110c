import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { setFlag, square, waitForFlag } from './fixtures/tasks.mjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The main thread skips the notify while a worker is looking for work, or while one it woke is on its
// way; a worker that takes a task with more queued wakes a sleeper itself. These tests would hang
// (the waiting task times out) if a task published in any of those moments were left to a parked
// worker that nobody wakes: the two tasks of each pair must run at the same time.
describe('parked workers are woken for every task', () => {
  const WAIT_MS = 60_000; // generous: only a lost wake-up makes it run out

  it('two tasks submitted back to back after the pool went idle run side by side', async () => {
    await using pool = new Pool(2);
    await pool.map(square, [1, 2], 1);
    for (let round = 0; round < 20; round++) {
      await sleep(20); // both workers park
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const waiting = pool.apply(waitForFlag, [flag, WAIT_MS]);
      const setting = pool.apply(setFlag, [flag]);
      expect(await setting).toBe('set');
      expect(await waiting).toBe('met');
    }
  });

  it('a task submitted while the only awake worker is busy wakes a parked one', async () => {
    await using pool = new Pool(2);
    await pool.map(square, [1, 2], 1);
    for (let round = 0; round < 10; round++) {
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const waiting = pool.apply(waitForFlag, [flag, WAIT_MS]);
      await sleep(round % 2 === 0 ? 0 : 20);
      expect(await pool.apply(setFlag, [flag])).toBe('set');
      expect(await waiting).toBe('met');
    }
  });

  it('a stream of tiny tasks with a blocking pair in the middle completes, nothing lost', async () => {
    await using pool = new Pool(2);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const before = Array.from({ length: 5000 }, (_, i) => pool.applyAsync(square, [i]));
    const waiting = pool.applyAsync(waitForFlag, [flag, WAIT_MS]);
    const middle = Array.from({ length: 5000 }, (_, i) => pool.applyAsync(square, [i]));
    const setting = pool.applyAsync(setFlag, [flag]);
    const values = await Promise.all([...before, ...middle]);
    expect(values).toEqual([...before.keys(), ...middle.keys()].map((i) => i * i));
    expect(await setting).toBe('set');
    expect(await waiting).toBe('met');
  });
});
