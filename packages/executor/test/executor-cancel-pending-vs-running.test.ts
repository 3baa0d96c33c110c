import { CancelledError, ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { signalThenWait, waitForGate } from './fixtures/tasks.mjs';
import { gateReached, newGate, openGate, until } from './helpers.js';

describe('cancel: pending vs running', () => {
  it('a queued task is cancelled and never runs; the running one cannot be cancelled', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const started = newGate();
    const release = newGate();
    const neverRun = newGate();
    const running = executor.submit(signalThenWait, started, release, 1);
    const queued = executor.submit(signalThenWait, neverRun, release, 2);
    await until(() => gateReached(started), 30_000, 'the first task to start');
    await until(() => running.running(), 30_000, 'the running state');
    expect(queued.state).toBe('PENDING');

    expect(running.cancel()).toBe(false);
    expect(running.running()).toBe(true);
    expect(queued.cancel()).toBe(true);
    expect(queued.cancelled()).toBe(true);
    expect(queued.done()).toBe(true);
    await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);

    openGate(release);
    expect(await running.result()).toBe(1);
    expect(running.cancel()).toBe(false);
    await executor.shutdown();
    expect(gateReached(neverRun)).toBe(false);
  });

  it('PENDING -> RUNNING -> FINISHED is observed on a real task, with done callbacks', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const release = newGate();
    const future = executor.submit(waitForGate, release, 5);
    const states: string[] = [];
    future.addDoneCallback((f) => states.push(f.state));
    await until(() => future.running(), 30_000, 'the running state');
    expect(future.done()).toBe(false);
    openGate(release);
    expect(await future).toBe(5);
    expect(states).toEqual(['FINISHED']);
  });
});
