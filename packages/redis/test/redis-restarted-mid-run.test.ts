/**
 * Redis restarted mid-run (AOF on, fsync always): the client and the worker processes reconnect by
 * themselves and every task finishes with its result. A RedisQueue handle rides the restart too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisExecutor, RedisQueue, task } from '../src/index.js';
import * as tasks from './fixtures/tasks.mjs';
import { type RunningRedis, startRedis } from './redis-server.js';
import { PACKAGE_ROOT, startWorker, type WorkerProcess } from './workers.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url).href;
const record = task(tasks.record as (i: number, dir: string, ms: number) => number, TASKS);

let server: RunningRedis;
let dir: string;
beforeAll(async () => {
  server = await startRedis({ appendonly: true });
  dir = mkdtempSync(join(tmpdir(), 'weft-redis-restart-'));
});
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis restarted mid-run with AOF', () => {
  it('client and 2 worker processes reconnect and finish all 2,000 tasks', async () => {
    const TASK_COUNT = 2000;
    const workers: WorkerProcess[] = [0, 1].map(() =>
      startWorker(server.url, 'restart', ['--visibility-timeout', '3000', '--heartbeat-interval', '250']),
    );
    try {
      await Promise.all(workers.map((w) => w.serving()));
      const executor = new RedisExecutor({ redis: server.url, name: 'restart', root: PACKAGE_ROOT });
      const futures = Array.from({ length: TASK_COUNT }, (_, i) => executor.submit(record, i, dir, 1));
      let settled = 0;
      for (const future of futures) future.addDoneCallback(() => settled++);
      const deadline = Date.now() + 60_000;
      while (settled < TASK_COUNT / 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(settled).toBeLessThan(TASK_COUNT);
      await server.stop();
      const settledWhileDown = settled;
      await new Promise((r) => setTimeout(r, 300));
      await server.start();
      const results = await Promise.all(futures.map((future) => future.result(90_000)));
      for (let i = 0; i < TASK_COUNT; i++) expect(results[i]).toBe(2 * i);
      expect(settled).toBe(TASK_COUNT);
      expect(settledWhileDown).toBeLessThan(TASK_COUNT);
      for (const w of workers) expect(w.child.exitCode).toBeNull();
      await executor.shutdown();
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 150_000);

  it('a RedisQueue handle keeps its items across the restart', async () => {
    const queue = new RedisQueue<number>('restart-queue', { redis: server.url });
    for (let i = 0; i < 10; i++) await queue.put(i);
    expect(await queue.get()).toBe(0);
    await queue.taskDone();
    await server.stop();
    await server.start();
    const got: number[] = [];
    for (let i = 1; i < 10; i++) {
      got.push(await queue.get({ timeout: 10_000 }));
      await queue.taskDone();
    }
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await queue.join({ timeout: 5000 })).toBe(true);
    await queue.close();
  }, 60_000);
});
