/**
 * The test: 3 worker processes and 1 client, 10,000 tasks, one worker SIGKILLed mid-run. Every
 * future settles with its own result, and the only tasks run twice are tasks the killed worker had
 * started (each task records every run, in a file per process).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisExecutor, task } from '../src/index.js';
import * as tasks from './fixtures/tasks.mjs';
import { type RunningRedis, startRedis } from './redis-server.js';
import { PACKAGE_ROOT, startWorker, type WorkerProcess } from './workers.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url).href;
const record = task(tasks.record as (i: number, dir: string, ms: number) => number, TASKS);

let server: RunningRedis;
let dir: string;
beforeAll(async () => {
  server = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'weft-redis-runs-'));
});
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function runsIn(file: string): number[] {
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

describe('RedisExecutor: 3 worker processes, 1 client, a worker SIGKILLed mid-run', () => {
  it('every one of 10,000 futures settles with its result; only tasks the killed worker had started run twice', async () => {
    const TASK_COUNT = 10_000;
    const extra = ['--visibility-timeout', '3000', '--heartbeat-interval', '250'];
    const workers: WorkerProcess[] = [0, 1, 2].map(() => startWorker(server.url, 'killed', extra));
    try {
      await Promise.all(workers.map((w) => w.serving()));
      const executor = new RedisExecutor({ redis: server.url, name: 'killed', root: PACKAGE_ROOT });
      const futures = Array.from({ length: TASK_COUNT }, (_, i) => executor.submit(record, i, dir, 0));
      let settled = 0;
      for (const future of futures) future.addDoneCallback(() => settled++);
      const victim = workers[0] as WorkerProcess;
      const killAt = Date.now() + 60_000;
      while (settled < TASK_COUNT / 4 && Date.now() < killAt) await new Promise((r) => setTimeout(r, 5));
      expect(settled).toBeGreaterThanOrEqual(TASK_COUNT / 4);
      expect(settled).toBeLessThan(TASK_COUNT); // the kill lands mid-run
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');

      const results = await Promise.all(futures.map((future) => future.result(90_000)));
      for (let i = 0; i < TASK_COUNT; i++) expect(results[i]).toBe(2 * i);

      const victimLog = `${victim.child.pid}.log`;
      const runs = new Map<number, number>();
      const logs = readdirSync(dir).filter((file) => file.endsWith('.log'));
      expect(logs).toContain(victimLog);
      for (const file of logs) for (const i of runsIn(file)) runs.set(i, (runs.get(i) ?? 0) + 1);
      expect(runs.size).toBe(TASK_COUNT);
      const ranByVictim = new Set(runsIn(victimLog));
      const twice = [...runs].filter(([, count]) => count > 1).map(([i]) => i);
      for (const i of twice) {
        expect(runs.get(i)).toBe(2);
        expect(ranByVictim.has(i)).toBe(true);
      }
      // The victim held at most 2 × concurrency tasks (running and waiting in its pool).
      expect(twice.length).toBeLessThanOrEqual(4);
      await executor.shutdown();
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 150_000);
});
