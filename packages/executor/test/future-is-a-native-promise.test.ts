import { CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import {
  awaitFuture,
  awaitFutureDirectly,
  failWithCode,
  increment,
  sleepThenReturn,
} from './fixtures/tasks.mjs';

describe('a Future is a native Promise', () => {
  it('is an instance of Promise; then/catch/finally make plain Promises, not Futures', async () => {
    const f = new Future<number>();
    expect(f).toBeInstanceOf(Promise);
    expect(f).toBeInstanceOf(Future);
    const derived = f.then((x) => x + 1);
    expect(derived).toBeInstanceOf(Promise);
    expect(derived).not.toBeInstanceOf(Future);
    expect(f.finally(() => {})).not.toBeInstanceOf(Future);
    f.setResult(1);
    expect(await derived).toBe(2);
    expect(await Promise.resolve(f)).toBe(1);
    // Promise's statics called on Future build their result with an executor: they work, never hang.
    expect(await Future.resolve(3)).toBe(3);
    expect(await Future.all([f, 2])).toEqual([1, 2]);
  });

  it('Promise.all over executor futures gives every value in order, and the first error', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const futures = Array.from({ length: 2000 }, (_, i) => executor.submit(increment, i));
    expect(await Promise.all(futures)).toEqual(futures.map((_, i) => i + 1));
    const failing = [executor.submit(increment, 1), executor.submit(failWithCode, 'E42')];
    await expect(Promise.all(failing)).rejects.toThrow();
  });

  it('a cancelled or failed future nobody awaits raises no unhandled rejection; awaiting it rejects', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const cancelled = new Future<number>();
      expect(cancelled.cancel()).toBe(true);
      const failed = new Future<number>();
      failed.setException(new Error('ignored'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual([]);
      await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
      await expect(failed).rejects.toThrow('ignored');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a future awaited inside a worker task (the worker-side view) still follows its owner', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const slow = executor.submit(sleepThenReturn, 50, 40);
    expect(await executor.submit(awaitFuture, slow, 2)).toBe(42);
    const later = executor.submit(sleepThenReturn, 50, 10);
    expect(await executor.submit(awaitFutureDirectly, later, 5)).toBe(15);
  });

  it('ProcessPoolExecutor futures: Promise.all over many submits, values in order', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const futures = Array.from({ length: 3000 }, (_, i) => executor.submit(increment, i));
    expect(await Promise.all(futures)).toEqual(futures.map((_, i) => i + 1));
  });
});
