import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokenPoolError, Pool } from '@weft/pool';
import { describe, expect, it } from 'vitest';
import { initializerThatExits, square } from './fixtures/tasks.mjs';

/** How long the test keeps watching for more workers after the pool broke. */
const WATCH_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startsLogged(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').length : 0;
}

// CPython's Pool respawns a worker whose initializer fails, forever; weft breaks the pool instead, as
// its README says: pending tasks fail with BrokenPoolError, later ones too, and no worker starts again.
describe.each(['thread', 'process'] as const)(
  "context '%s': an initializer that calls process.exit()",
  (context) => {
    it('breaks the pool: tasks fail with BrokenPoolError, and workers are not started again', async () => {
      const log = join(mkdtempSync(join(tmpdir(), 'weft-init-exit-')), 'starts');
      const pool = new Pool(2, { context, initializer: initializerThatExits, initargs: [log] });
      try {
        const results = Array.from({ length: 4 }, (_, i) => pool.applyAsync(square, [i]));
        for (const result of results) {
          const error = await result.get(30_000).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(BrokenPoolError);
          expect((error as Error).message).toMatch(/initializer/);
          expect((error as Error).message).toMatch(/exit code 3/);
        }
        await expect(pool.apply(square, [5])).rejects.toBeInstanceOf(BrokenPoolError);
        await sleep(WATCH_MS);
        expect(startsLogged(log)).toBeGreaterThanOrEqual(1);
        expect(startsLogged(log)).toBeLessThanOrEqual(2);
      } finally {
        await pool.terminate();
      }
    });
  },
);
