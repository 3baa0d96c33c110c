import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

/**
 * Runs `fixtures/<name>` in a plain Node process (no vitest preload: pool workers then load modules as
 * in a user's program) and returns the JSON it prints last; it must print nothing on stderr.
 */
export async function runProgram(name: string, ...args: string[]): Promise<unknown> {
  const program = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [program, ...args], {
    timeout: 60_000,
  });
  expect(stderr).toBe('');
  return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}
