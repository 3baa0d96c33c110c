import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const program = fileURLToPath(new URL('./fixtures/top-level-await-program.mjs', import.meta.url));

describe('a pool called from the top-level code of a module with top-level await', () => {
  it('finds exported and self-contained functions without waiting for the module to finish', async () => {
    const { stdout, stderr } = await run(process.execPath, [program]);
    expect(stderr).toBe('');
    const { sum, exported, elapsedMs } = JSON.parse(stdout.trim()) as {
      sum: number;
      exported: number;
      elapsedMs: number;
    };
    expect(sum).toBe(325);
    expect(exported).toBe(42);
    // Importing a module that is still evaluating waits for its evaluation, which here waits for the
    // result: the pool used to give up on such an import after 200 ms, once per function, so these 26
    // calls took more than 5 s. Located from the stack and the module's text, they take well under 1 s.
    expect(elapsedMs).toBeLessThan(3000);
  });
});
