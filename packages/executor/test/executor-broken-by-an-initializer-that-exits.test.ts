import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokenProcessPool, BrokenThreadPool, ProcessPoolExecutor, ThreadPoolExecutor } from '@weft/executor';
import { describe, expect, it } from 'vitest';
import { increment, initializerThatExits, initializerThatExitsLogging } from './fixtures/tasks.mjs';
import { until } from './helpers.js';

/** How long the test keeps watching for more workers after the executor broke. */
const WATCH_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// CPython: an initializer that fails marks the executor broken (BrokenThreadPool / BrokenProcessPool):
// pending futures fail with it, submit() raises it, and no worker is started again.
describe('an initializer that calls process.exit() breaks the executor', () => {
  it('ThreadPoolExecutor: BrokenThreadPool, no respawn loop', async () => {
    const starts = new Int32Array(new SharedArrayBuffer(4));
    const executor = new ThreadPoolExecutor({
      maxWorkers: 2,
      initializer: initializerThatExits,
      initargs: [starts],
    });
    try {
      const futures = Array.from({ length: 4 }, (_, i) => executor.submit(increment, i));
      for (const future of futures) {
        const error = await future.exception(30_000);
        expect(error).toBeInstanceOf(BrokenThreadPool);
        expect((error as Error).message).toMatch(/initializer/);
      }
      expect(() => executor.submit(increment, 1)).toThrow(BrokenThreadPool);
      await sleep(WATCH_MS);
      expect(Atomics.load(starts, 0)).toBeGreaterThanOrEqual(1);
      expect(Atomics.load(starts, 0)).toBeLessThanOrEqual(2);
    } finally {
      await executor.shutdown({ wait: false });
    }
  });

  it('ProcessPoolExecutor: BrokenProcessPool, no respawn loop', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weft-init-exit-')), 'starts');
    const executor = new ProcessPoolExecutor({
      maxWorkers: 2,
      initializer: initializerThatExitsLogging,
      initargs: [log],
    });
    try {
      const futures = Array.from({ length: 4 }, (_, i) => executor.submit(increment, i));
      for (const future of futures) {
        const error = await future.exception(30_000);
        expect(error).toBeInstanceOf(BrokenProcessPool);
        expect((error as Error).message).toMatch(/initializer/);
      }
      await until(() => executor.broken !== undefined, 30_000, 'the executor to be broken');
      expect(() => executor.submit(increment, 1)).toThrow(BrokenProcessPool);
      await sleep(WATCH_MS);
      const starts = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0;
      expect(starts).toBeGreaterThanOrEqual(1);
      expect(starts).toBeLessThanOrEqual(2);
    } finally {
      await executor.shutdown({ wait: false });
    }
  });
});
