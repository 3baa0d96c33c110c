import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts the module at `moduleUrl` again as a separate OS process (with this process's Node flags, so
 * under tsx when this runs under tsx), passing `args` — how the examples that need two *programs*
 * (a server and a client, a writer and a reader) run their second side.
 */
export function spawnSelf(moduleUrl: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, fileURLToPath(moduleUrl), ...args], {
    stdio: 'inherit',
    ...options,
  });
}

/** Resolves with the exit code of `child` once it has exited (rejects if it could not start). */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}
