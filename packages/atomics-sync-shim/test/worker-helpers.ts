import type { Worker } from 'node:worker_threads';

/** URL of a fixture in test/fixtures/. */
export function fixture(name: string): URL {
  return new URL(`./fixtures/${name}`, import.meta.url);
}

/** Resolves with the worker's exit code; rejects if it threw. */
export function exitOf(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
}

/** Starts a fixture worker and resolves with its first message (rejects if it throws first). */
export function firstMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited (code ${code}) before posting`)));
  });
}
