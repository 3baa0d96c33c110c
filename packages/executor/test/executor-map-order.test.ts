import { CancelledError, ThreadPoolExecutor, TimeoutError } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { add, failAt, increment, signalThenWait, unevenSquare, waitForGate } from './fixtures/tasks.mjs';
import { gateReached, newGate, openGate } from './helpers.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('Executor.map', () => {
  it('yields results in input order although later items finish first', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const xs = Array.from({ length: 30 }, (_, i) => i);
    expect(await collect(executor.map(unevenSquare, xs))).toEqual(xs.map((x) => x * x));
  });

  it('zips several iterables, stopping at the shortest', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    expect(await collect(executor.map(add, [1, 2, 3], new Set([10, 20])))).toEqual([11, 22]);
  });

  it('chunksize keeps the order and the values', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    expect(await collect(executor.map(increment, xs, { chunksize: 64 }))).toEqual(xs.map((x) => x + 1));
    expect(await collect(executor.map(add, xs, xs, { chunksize: 100 }))).toEqual(xs.map((x) => 2 * x));
  });

  it('raises an item error when that item is reached, after yielding the results before it', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const value of executor.map(failAt, [1, 2, 3, 4, 5], [3, 3, 3, 3, 3])) seen.push(value);
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual([10, 20]);
    expect((error as Error).message).toBe('item 3 is bad');
  });

  it('submits everything at the call, before iteration starts', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const iterator = executor.map(increment, [1, 2, 3]);
    await executor.shutdown(); // no new work accepted, but map's tasks were already submitted
    expect(await collect(iterator)).toEqual([2, 3, 4]);
  });

  it('timeout counts from the call and raises TimeoutError (not early), cancelling the rest', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const release = newGate();
    const started = performance.now();
    const iterator = executor.map(waitForGate, [release, release, release], [1, 2, 3], { timeout: 50 });
    let error: unknown;
    try {
      await collect(iterator);
    } catch (e) {
      error = e;
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(error).toBeInstanceOf(TimeoutError);
    openGate(release);
  });

  it('stopping early cancels what has not started', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const started = [newGate(), newGate(), newGate(), newGate()];
    const release = [newGate(), newGate(), newGate(), newGate()];
    openGate(release[0]!);
    const iterator = executor.map(signalThenWait, started, release, [0, 1, 2, 3]);
    const seen: number[] = [];
    for await (const value of iterator) {
      seen.push(value);
      break;
    }
    expect(seen).toEqual([0]);
    for (const gate of release) openGate(gate);
    await executor.shutdown();
    // Item 1 may have started before the break; items 2 and 3 were queued behind it and cancelled.
    expect(gateReached(started[2]!)).toBe(false);
    expect(gateReached(started[3]!)).toBe(false);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('rejects a bad chunksize and missing iterables', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => executor.map(increment, [1], { chunksize: 0 })).toThrow(RangeError);
    expect(() => (executor.map as (fn: unknown) => unknown)(increment)).toThrow(TypeError);
    expect(CancelledError).toBeDefined();
  });
});
