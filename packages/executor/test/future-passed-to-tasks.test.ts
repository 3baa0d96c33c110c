import { CancelledError, DeadlockError, Future, ThreadPoolExecutor, TimeoutError } from '@weft/executor';
import { Queue } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import {
  awaitFuture,
  blockOnFuture,
  describeFutureOutcome,
  failWithCode,
  signalThenWait,
  sleepThenReturn,
  waitOnOther,
  waitOnOtherSync,
} from './fixtures/tasks.mjs';
import { gateReached, newGate, openGate, until } from './helpers.js';

describe('a Future passed to a task', () => {
  it("a task awaits another task's future", async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const first = executor.submit(sleepThenReturn, 20, 5);
    const second = executor.submit(awaitFuture, first, 1);
    expect(await second.result()).toBe(6);
  });

  it('resultSync() in a worker blocks that worker until the future is done', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const first = executor.submit(sleepThenReturn, 30, 'late');
    expect(await executor.submit(blockOnFuture, first).result()).toBe('late');
  });

  it('a future completed by the main thread later wakes the task', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const plain = new Future<number>();
    const task = executor.submit(awaitFuture, plain, 1);
    setTimeout(() => plain.setResult(41), 20);
    expect(await task.result()).toBe(42);
  });

  it("the task sees the future's error with its name and message", async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const failing = executor.submit(failWithCode, 3);
    expect(await executor.submit(describeFutureOutcome, failing).result()).toBe(
      'RangeError: code 3 is out of range',
    );
  });

  it('the task sees a cancellation as CancelledError', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const started = newGate();
    const release = newGate();
    const blocker = executor.submit(signalThenWait, started, release, 1);
    await until(() => gateReached(started), 30_000, 'the blocker to start');
    const queued = executor.submit(sleepThenReturn, 1, 1);
    expect(queued.cancel()).toBe(true);
    const observer = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      expect(await observer.submit(describeFutureOutcome, queued).result()).toBe(
        `CancelledError: ${new CancelledError().message}`,
      );
    } finally {
      openGate(release);
      await blocker;
      await observer.shutdown();
    }
  });

  it('resultSync(timeout) in a worker throws TimeoutError, not early', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const never = new Future<number>();
    const outcome = await executor.submit(blockOnFuture, never, 30).exception();
    expect((outcome as Error).name).toBe('TimeoutError');
    never.cancel();
  });

  it('two tasks waiting on each other (the notes p16) end with a timeout instead of hanging', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const toA = new Queue<Future<unknown>>();
    const toB = new Queue<Future<unknown>>();
    const a = executor.submit(waitOnOther, toA, 200);
    const b = executor.submit(waitOnOther, toB, 200);
    await toA.put(b);
    await toB.put(a);
    const errors = [await a.exception(), await b.exception()] as Error[];
    for (const error of errors) expect(['TimeoutError', 'DeadlockError']).toContain(error.name);
    expect(TimeoutError).toBeDefined();
  });

  it('two tasks waiting on each other (p16) raise DeadlockError long before their timeout', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const toA = new Queue<Future<unknown>>();
    const toB = new Queue<Future<unknown>>();
    // The 10 s timeouts only keep a failure of detection from hanging the suite.
    const a = executor.submit(waitOnOtherSync, toA, 10_000);
    const b = executor.submit(waitOnOther, toB, 10_000);
    await toA.put(b);
    await toB.put(a);
    const errors = [await a.exception(), await b.exception()] as Error[];
    // The task that closes the cycle gets DeadlockError; the other one sees it through the future.
    for (const error of errors) expect(error.name).toBe(DeadlockError.name);
  });
});
