import { BrokenPoolError, CancelledTask, Pool, TimeoutError, WorkerCrashedError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import {
  crash,
  fail,
  ignoreAbort,
  initFails,
  pid,
  slowDouble,
  square,
  waitForAbort,
} from './fixtures/tasks.mjs';

describe("Pool({ context: 'process' }): child processes", () => {
  it('runs tasks in children with their own pids; map, imap, inline functions', async () => {
    await using pool = new Pool(2, { context: 'process' });
    const pids = new Set(await pool.map(pid, [1, 2, 3, 4, 5, 6], 1));
    expect(pids.has(process.pid)).toBe(false);
    expect(await pool.apply(square, [9])).toBe(81);
    expect(await pool.map(square, [1, 2, 3])).toEqual([1, 4, 9]);
    expect(await pool.apply((s: string) => `${s}!`, ['hi'])).toBe('hi!');
    const got: number[] = [];
    for await (const value of pool.imap(square, [1, 2, 3])) got.push(value);
    expect(got).toEqual([1, 4, 9]);
    expect(await pool.apply(slowDouble, [4, 10])).toBe(8);
  });

  it('errors keep their type and message; a crash fails its task and the child is replaced', async () => {
    await using pool = new Pool(2, { context: 'process' });
    const error = (await pool.apply(fail, ['bad']).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('bad');
    await expect(pool.apply(crash, [])).rejects.toThrow(WorkerCrashedError);
    expect(await pool.map(square, [1, 2, 3, 4], 1)).toEqual([1, 4, 9, 16]);
  });

  it('timeouts tell the task, and a task ignoring them has its child replaced', async () => {
    await using pool = new Pool(1, { context: 'process', abortGraceMs: 200 });
    await expect(pool.apply(waitForAbort, [], { timeout: 50 })).rejects.toThrow(TimeoutError);
    await expect(pool.apply(ignoreAbort, [60_000], { timeout: 50 })).rejects.toThrow(TimeoutError);
    expect(await pool.apply(square, [3])).toBe(9);
  });

  it('terminate() rejects what is pending', async () => {
    const pool = new Pool(1, { context: 'process' });
    const running = pool.apply(slowDouble, [1, 30_000]);
    running.catch(() => {});
    const queued = pool.submit(square, [2]);
    queued.promise.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.terminate();
    await expect(running).rejects.toThrow(/terminated/);
    await expect(queued.promise).rejects.toThrow(/terminated/);
  });

  it('maxtasksperchild replaces children', async () => {
    await using pool = new Pool(2, { context: 'process', maxtasksperchild: 5 });
    const pids = await pool.map(
      pid,
      Array.from({ length: 30 }, (_, i) => i),
      1,
    );
    const counts = new Map<number, number>();
    for (const p of pids) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect(counts.size).toBeGreaterThanOrEqual(6);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(5);
  });

  it('submit/cancel/onStart, a failing initializer, and breakOnWorkerDeath', async () => {
    const pool = new Pool(1, { context: 'process' });
    const started: number[] = [];
    const first = pool.submit(slowDouble, [1, 300], { onStart: () => started.push(1) });
    const second = pool.submit(square, [2]);
    const third = pool.submit(square, [3]);
    expect(third.cancel()).toBe(true);
    await expect(third.promise).rejects.toThrow(CancelledTask);
    expect(await first.promise).toBe(2);
    expect(await second.promise).toBe(4);
    expect(started).toEqual([1]);
    await pool.terminate();

    const broken = new Pool(1, { context: 'process', initializer: initFails });
    await expect(broken.submit(square, [1]).promise).rejects.toThrow(BrokenPoolError);
    expect(broken.broken).toBeInstanceOf(BrokenPoolError);
    await broken.terminate();

    const fragile = new Pool(2, { context: 'process', breakOnWorkerDeath: true });
    const heard = new Promise<Error>((resolve) => fragile.onBroken(resolve));
    await expect(fragile.submit(crash, []).promise).rejects.toThrow(WorkerCrashedError);
    expect(await heard).toBeInstanceOf(BrokenPoolError);
    await fragile.terminate();
  });
});
