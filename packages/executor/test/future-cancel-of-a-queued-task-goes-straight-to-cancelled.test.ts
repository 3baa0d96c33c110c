import { CancelledError, type Future, ProcessPoolExecutor, ThreadPoolExecutor, wait } from '@weft/executor';
import { describe, expect, it, onTestFinished } from 'vitest';
import { signalThenWait } from './fixtures/tasks.mjs';
import { gateReached, newGate, openGate, until } from './helpers.js';

// CPython's Future.cancel (concurrent/futures/_base.py): PENDING -> CANCELLED under the condition, then
// the done callbacks run and see cancelled() true. The future never passes through FINISHED.
describe.each([
  ['ThreadPoolExecutor', () => new ThreadPoolExecutor({ maxWorkers: 1 })],
  ['ProcessPoolExecutor', () => new ProcessPoolExecutor({ maxWorkers: 1 })],
])('%s: cancel() of a queued task', (_name, makeExecutor) => {
  it('goes PENDING -> CANCELLED, and done callbacks see it cancelled, once', async () => {
    const executor = makeExecutor();
    const started = newGate();
    const release = newGate();
    const neverRun = newGate();
    const running = executor.submit(signalThenWait, started, release, 1);
    // Whatever fails below, the running task ends and the executor stops.
    onTestFinished(async () => {
      openGate(release);
      await executor.shutdown({ wait: false, cancelFutures: true });
    });
    await until(() => gateReached(started), 30_000, 'the first task to start');
    // A process pool hands a few tasks ahead to its child (they are RUNNING, as in CPython's call
    // queue): the last of several is still queued.
    const ahead = Array.from({ length: 8 }, () => executor.submit(signalThenWait, started, release, 3));
    const queued = executor.submit(signalThenWait, neverRun, release, 2);
    const seen: { state: string; cancelled: boolean; done: boolean; running: boolean }[] = [];
    queued.addDoneCallback((f: Future<number>) => {
      seen.push({ state: f.state, cancelled: f.cancelled(), done: f.done(), running: f.running() });
    });
    expect(queued.state).toBe('PENDING');

    expect(queued.cancel()).toBe(true);
    expect(seen).toEqual([{ state: 'CANCELLED', cancelled: true, done: true, running: false }]);
    expect(queued.state).toBe('CANCELLED');
    await expect(queued.exception()).rejects.toBeInstanceOf(CancelledError);
    await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);
    // Cancelled is not an exception (FIRST_EXCEPTION does not return for it) and it counts as done.
    const { done, notDone } = await wait([queued], { timeout: 1000 });
    expect(done.has(queued)).toBe(true);
    expect(notDone.size).toBe(0);
    expect(queued.cancel()).toBe(true);
    expect(seen).toHaveLength(1);

    openGate(release);
    expect(await running.result(30_000)).toBe(1);
    for (const future of ahead) expect(await future.result(30_000)).toBe(3);
    await executor.shutdown();
    expect(gateReached(neverRun)).toBe(false);
  });
});
