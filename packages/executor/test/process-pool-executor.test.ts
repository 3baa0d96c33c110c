import { BrokenExecutor, BrokenProcessPool, Future, ProcessPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import {
  awaitFuture,
  exitNow,
  failingInitializer,
  increment,
  pid,
  pow,
  signalPidThenWait,
} from './fixtures/tasks.mjs';
import { gateReached, gateText, newGate, openGate, until } from './helpers.js';

describe('ProcessPoolExecutor', () => {
  it('runs tasks in child processes with real pids', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    expect(await executor.submit(pow, 2, 3)).toBe(8);
    const pids = await Promise.all(Array.from({ length: 8 }, () => executor.submit(pid)));
    for (const childPid of pids) expect(childPid).not.toBe(process.pid);
    const results: number[] = [];
    for await (const value of executor.map(increment, [1, 2, 3], { chunksize: 2 })) results.push(value);
    expect(results).toEqual([2, 3, 4]);
  });

  it('maxTasksPerChild: 1 gives every task a fresh child', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 1 });
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) pids.push(await executor.submit(pid));
    expect(new Set(pids).size).toBe(3);
  });

  it('a child killed mid-task breaks the executor: running and pending futures fail, later submits are refused', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const started = newGate();
    const release = newGate();
    const running = executor.submit(signalPidThenWait, started, release);
    const pending = Array.from({ length: 6 }, () => executor.submit(signalPidThenWait, newGate(), release));
    await until(() => gateReached(started) && gateText(started) !== '', 60_000, 'the task to start');
    process.kill(Number(gateText(started)), 'SIGKILL');
    const error = await running.exception();
    expect(error).toBeInstanceOf(BrokenProcessPool);
    expect(error).toBeInstanceOf(BrokenExecutor);
    // The executor fails everything outstanding the moment the pool breaks (as Python does).
    for (const future of pending) expect(await future.exception()).toBeInstanceOf(BrokenProcessPool);
    expect(executor.broken).toBeInstanceOf(BrokenProcessPool);
    expect(() => executor.submit(pid)).toThrow(BrokenProcessPool);
    openGate(release);
    await executor.shutdown();
  });

  it('a child that exits during a task breaks the executor', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const future = executor.submit(exitNow, 3);
    expect(await future.exception()).toBeInstanceOf(BrokenProcessPool);
    expect(() => executor.submit(pid)).toThrow(/not usable anymore/);
    await executor.shutdown();
  });

  it('a failing initializer breaks the executor', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1, initializer: failingInitializer });
    expect(await executor.submit(pid).exception()).toBeInstanceOf(BrokenProcessPool);
    await executor.shutdown();
  });

  it('bad maxTasksPerChild is a RangeError', () => {
    expect(() => new ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 0 })).toThrow(RangeError);
  });
});

describe('ProcessPoolExecutor and futures', () => {
  it('refuses a Future in the arguments at once, with a clear error (shared memory does not cross processes)', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const future = new Future<number>();
    expect(() => executor.submit(awaitFuture, future, 1)).toThrow(/cannot be passed to a child process/);
    expect(() => executor.submit(pid, ...([[future]] as unknown as []))).toThrow(TypeError);
    future.cancel();
  });
});
