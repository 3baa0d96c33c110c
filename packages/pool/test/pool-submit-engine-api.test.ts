import { BrokenPoolError, CancelledTask, currentTaskId, Pool, WorkerCrashedError } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { crash, initFails, ownTaskId, slowDouble, square, whoami } from './fixtures/tasks.mjs';

describe('the engine API for @weft/executor', () => {
  it('submit() gives a handle whose promise settles with the value; onStart comes first', async () => {
    await using pool = new Pool(1);
    const events: string[] = [];
    const handle = pool.submit(square, [6], { onStart: () => events.push('start') });
    expect(['queued', 'running']).toContain(handle.state);
    const value = await handle.promise;
    events.push(`value ${value}`);
    expect(events).toEqual(['start', 'value 36']);
    expect(handle.state).toBe('done');
    expect(handle.cancel()).toBe(false);
  });

  it('cancel() removes a queued task (true) and its promise rejects with CancelledTask', async () => {
    await using pool = new Pool(1);
    const blocker = pool.submit(slowDouble, [1, 500]);
    const queued = pool.submit(square, [2]);
    let started = false;
    const other = pool.submit(square, [3], { onStart: () => (started = true) });
    expect(queued.cancel()).toBe(true);
    expect(queued.state).toBe('done');
    await expect(queued.promise).rejects.toThrow(CancelledTask);
    expect(queued.cancel()).toBe(false);
    expect(await blocker.promise).toBe(2);
    expect(await other.promise).toBe(9);
    expect(started).toBe(true);
  });

  it('cancel() of a running task returns false and the task completes', async () => {
    await using pool = new Pool(1);
    let started!: () => void;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const handle = pool.submit(slowDouble, [5, 300], { onStart: () => started() });
    await startedPromise;
    expect(handle.state).toBe('running');
    expect(handle.cancel()).toBe(false);
    expect(await handle.promise).toBe(10);
  });

  it('an initializer that fails breaks the pool: onBroken hears it, tasks reject', async () => {
    const pool = new Pool(1, { initializer: initFails });
    const heard = new Promise<Error>((resolve) => pool.onBroken(resolve));
    const handle = pool.submit(square, [1]);
    await expect(handle.promise).rejects.toThrow(BrokenPoolError);
    const error = await heard;
    expect(error).toBeInstanceOf(BrokenPoolError);
    expect(String((error.cause as Error).message)).toMatch(/initializer exploded/);
    expect(pool.broken).toBe(error);
    await expect(pool.submit(square, [1]).promise).rejects.toThrow(BrokenPoolError);
    await pool.terminate();
  });

  it('breakOnWorkerDeath: a worker dying breaks the pool instead of being replaced', async () => {
    const pool = new Pool(2, { breakOnWorkerDeath: true });
    const heard = new Promise<Error>((resolve) => pool.onBroken(resolve));
    const dying = pool.submit(crash, []);
    await expect(dying.promise).rejects.toThrow(WorkerCrashedError);
    expect(await heard).toBeInstanceOf(BrokenPoolError);
    await expect(pool.submit(square, [1]).promise).rejects.toThrow(BrokenPoolError);
    await pool.terminate();
  });

  it('a handle carries the task id that currentTaskId() gives inside the worker', async () => {
    await using pool = new Pool(2);
    const handles = Array.from({ length: 50 }, () => pool.submit(ownTaskId, []));
    const seen = await Promise.all(handles.map((handle) => handle.promise));
    expect(seen).toEqual(handles.map((handle) => handle.id));
    expect(new Set(seen).size).toBe(50);
    expect(seen.every((id) => id > 0)).toBe(true);
    expect(currentTaskId()).toBe(0); // not inside a task
  });

  it('namePrefix names the workers', async () => {
    await using pool = new Pool(2, { namePrefix: 'Crawler' });
    const names = await pool.map(whoami, [1, 2, 3, 4]);
    for (const name of names) expect(name).toMatch(/^Crawler-\d+$/);
  });
});
