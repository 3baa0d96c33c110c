import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { pid, slowDouble, spin, square, waitForFile, waitForFileSync } from './fixtures/tasks.mjs';

describe("context: 'process' sends tasks and results in batches", () => {
  it('thousands of tiny tasks one at a time: every result right and in its place', async () => {
    await using pool = new Pool(2, { context: 'process' });
    for (let round = 0; round < 3; round++) {
      const results = Array.from({ length: 3000 }, (_, i) => pool.applyAsync(square, [i + round]));
      const values = await Promise.all(results);
      expect(values).toEqual(values.map((_, i) => (i + round) * (i + round)));
    }
  });

  it('after tiny tasks, slow tasks are still spread over both children', async () => {
    await using pool = new Pool(2, { context: 'process' });
    await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.applyAsync(square, [i])));
    // Each slow task reports its child's pid; two children working means the total time is spread.
    const pids = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const child = await pool.apply(pid, []);
        await pool.apply(spin, [50]);
        return child;
      }),
    );
    expect(new Set(pids).size).toBe(2);
  });

  it('a mix of async and sync tasks in one batch, with timeouts among them', async () => {
    await using pool = new Pool(2, { context: 'process' });
    const values = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 10 === 0 ? pool.apply(slowDouble, [i, 5]) : pool.apply(square, [i]),
      ),
    );
    expect(values).toEqual(values.map((_, i) => (i % 10 === 0 ? i * 2 : i * i)));
  });

  for (const waiter of [waitForFile, waitForFileSync]) {
    it(`a result is not held back behind a task that waits for what the caller does with it (${waiter.name})`, async () => {
      await using pool = new Pool(1, { context: 'process' });
      const dir = mkdtempSync(join(tmpdir(), 'weft-held-'));
      try {
        // tiny tasks first, so that the child batches its results
        await Promise.all(Array.from({ length: 100 }, (_, i) => pool.applyAsync(square, [i])));
        for (let round = 0; round < 3; round++) {
          const file = join(dir, `go-${round}`);
          // the child is busy a moment, so that `first` and `second` wait in its queue together
          const busy = pool.apply(slowDouble, [round, 100]);
          const first = pool.apply(square, [round]);
          const second = pool.apply(waiter, [file, 60_000]);
          // Only `first`'s result lets this caller make the file that `second` (same child) waits for.
          expect(await first).toBe(round * round);
          writeFileSync(file, '');
          expect(await second).toBe('seen');
          expect(await busy).toBe(round * 2);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
