import { InvalidStateError, ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import {
  add,
  failWithCode,
  pow,
  sleepThenReturn,
  workerName,
  workerNameAfterMeeting,
} from './fixtures/tasks.mjs';

describe('ThreadPoolExecutor.submit', () => {
  it('runs pow(2, 3) on a worker: 8 (the notes s4-33)', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const future = executor.submit(pow, 2, 3);
    expect(await future.result()).toBe(8);
    expect(future.done()).toBe(true);
    expect(future.state).toBe('FINISHED');
  });

  it('accepts a number as maxWorkers, like ThreadPoolExecutor(3)', async () => {
    const executor = new ThreadPoolExecutor(3);
    expect(executor.maxWorkers).toBe(3);
    expect(await executor.submit(add, 1, 2)).toBe(3);
    await executor.shutdown();
  });

  it('async task functions resolve to their value', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    expect(await executor.submit(sleepThenReturn, 5, 42).result()).toBe(42);
  });

  it("a task's error reaches result() with its name, message and worker stack", async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const future = executor.submit(failWithCode, 7);
    const error = (await future.exception()) as Error;
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('code 7 is out of range');
    const stacks = `${error.stack}\n${String((error.cause as Error | undefined)?.stack ?? '')}\n${String((error as Error & { remoteStack?: string }).remoteStack ?? '')}`;
    expect(stacks).toMatch(/failWithCode .*tasks\.mjs/);
    await expect(future.result()).rejects.toMatchObject({
      name: 'RangeError',
      message: 'code 7 is out of range',
    });
  });

  it('submit after shutdown is refused with InvalidStateError', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    await executor.shutdown();
    expect(() => executor.submit(pow, 2, 2)).toThrow(InvalidStateError);
    expect(() => executor.submit(pow, 2, 2)).toThrow(/after shutdown/);
    expect(() => executor.map(pow, [1], [2])).toThrow(InvalidStateError);
    await executor.shutdown(); // twice is harmless
  });

  it('await using shuts down with wait: tasks submitted in the block are finished after it', async () => {
    let future: ReturnType<typeof submitSlow> | undefined;
    function submitSlow(executor: ThreadPoolExecutor) {
      return executor.submit(sleepThenReturn, 20, 7);
    }
    {
      await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
      future = submitSlow(executor);
    }
    expect(future.done()).toBe(true);
    expect(future.resultSync()).toBe(7);
  });

  it('bad options are clear errors', () => {
    expect(() => new ThreadPoolExecutor({ maxWorkers: 0 })).toThrow(RangeError);
    expect(() => new ThreadPoolExecutor({ maxWorkers: 1.5 })).toThrow(RangeError);
    expect(() => new ThreadPoolExecutor({ initializer: 'x' as unknown as () => void })).toThrow(TypeError);
    expect(() => new ThreadPoolExecutor({ initargs: 3 as unknown as unknown[] })).toThrow(TypeError);
  });
});

describe('threadNamePrefix', () => {
  it('names the worker threads', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'downloader' });
    expect(executor.threadNamePrefix).toBe('downloader');
    expect(await executor.submit(workerName)).toMatch(/^downloader/);
  });

  // CPython's thread.py: '%s_%d' % (thread_name_prefix or 'ThreadPoolExecutor-%d' % counter, i), i from 0.
  it('names them as Python does: prefix_0, prefix_1, and ThreadPoolExecutor-N_0 by default', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(4));
    {
      await using executor = new ThreadPoolExecutor({ maxWorkers: 2, threadNamePrefix: 'downloader' });
      // Two tasks that wait for each other run on both workers at once.
      const names = await Promise.all([
        executor.submit(workerNameAfterMeeting, gate, 2),
        executor.submit(workerNameAfterMeeting, gate, 2),
      ]);
      expect(names.sort()).toEqual(['downloader_0', 'downloader_1']);
    }
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(executor.threadNamePrefix).toMatch(/^ThreadPoolExecutor-\d+$/);
    expect(await executor.submit(workerName)).toBe(`${executor.threadNamePrefix}_0`);
  });
});
