import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { catalog, scriptOf } from '../catalog.js';

/**
 * Runs the example of catalog ID `id` as a child process with this process's Node flags (so it runs
 * under tsx when this does), its output going to ours. Resolves with its exit code.
 * Used by `run.ts` and by the rows that are duplicates of another row.
 */
export function runExample(id: string, options: { timeoutMs?: number } = {}): Promise<number> {
  const entry = catalog.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`no example with ID ${id}`);
  const file = fileURLToPath(scriptOf(entry));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, file], { stdio: 'inherit' });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            console.error(`${id}: still running after ${options.timeoutMs} ms, killed`);
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Runs the script at `url` (an example beyond the catalog) the same way; resolves with its exit code. */
export function runScript(url: URL, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(url)], { stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.error(`${fileURLToPath(url)}: still running after ${timeoutMs} ms, killed`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** The body of a row that is a duplicate of another: runs that row's example and exits with its code. */
export async function runDuplicateOf(id: string): Promise<void> {
  process.exitCode = await runExample(id);
}
