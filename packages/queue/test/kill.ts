import type { Worker } from 'node:worker_threads';

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Terminates `worker` and resolves once it has exited (by then weft has recorded the thread as dead:
 * its `exit` listener runs before the one `terminate()` adds).
 */
export async function kill(worker: Worker): Promise<void> {
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.on('error', () => {});
  await worker.terminate();
  await exited;
}

/**
 * Spins (at most `spins` reads) until word 0 of `lockWord` is non-zero, so that a `terminate()` right
 * after is likely to land while the worker holds that lock. Returns whether it saw the word held.
 */
export function spinUntilHeld(lockWord: Int32Array, spins = 5_000_000): boolean {
  for (let i = 0; i < spins; i++) if (Atomics.load(lockWord, 0) !== 0) return true;
  return false;
}
