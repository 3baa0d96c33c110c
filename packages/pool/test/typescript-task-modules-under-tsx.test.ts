import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const program = fileURLToPath(new URL('./fixtures/tsx-program.ts', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const expected = ['[1,8,27]', '5', '"HEY!"', 'hello tsx from a typed child', 'exit 0', ''];

describe('task modules written in TypeScript', () => {
  it('work under `node --import tsx` (workers get the loader too)', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', program], { cwd });
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual(expected);
  });

  it('work under the `tsx` command', async () => {
    const { stdout } = await run(process.execPath, [tsxCli, program], { cwd });
    expect(stdout.split('\n')).toEqual(expected);
  });
});
