import { Pool, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { writeQueue } from './fixtures/processes.mjs';

describe("weft primitives in args of a 'process' context child", () => {
  it('a Queue passed to a child process is the same Queue (served by the manager)', async () => {
    const queue = new Queue<string>();
    const p = new Process({ target: writeQueue, args: [queue, ['A', 'B', 'C']], context: 'process' });
    p.start();
    await p.join();
    expect(p.exitCode).toBe(0);
    const got = [
      await queue.get({ timeout: 30_000 }),
      await queue.get({ timeout: 30_000 }),
      await queue.get({ timeout: 30_000 }),
    ];
    expect(got).toEqual(['A', 'B', 'C']);
  });

  it('a Queue passed to a process pool task is the same Queue', async () => {
    const queue = new Queue<number>();
    await using pool = new Pool(1, { context: 'process' });
    await pool.apply(writeQueue, [queue, [1, 2]]);
    expect([await queue.get({ timeout: 30_000 }), await queue.get({ timeout: 30_000 })]).toEqual([1, 2]);
  });
});
