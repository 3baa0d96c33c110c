import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Pool workers and Process threads forward their stdout and stderr themselves (src/worker-output.ts),
// touching this process's streams only when a worker first writes. The program replaces those streams'
// write() with one that keeps everything and asks for a pause every third chunk.
const program = fileURLToPath(new URL('./fixtures/output-program.mjs', import.meta.url));

describe('what workers print', () => {
  it('reaches stdout and stderr complete and in order, through the pauses of a slow destination', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [program], { timeout: 30_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout.trim())).toEqual({
      stdout: { lines: 8000, inOrder: true },
      stderr: { lines: 8000, inOrder: true },
    });
  });
});
