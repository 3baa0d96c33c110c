import { Worker } from 'node:worker_threads';

/** Starts `test/fixtures/<name>.mjs` with `workerData`; resolves with its last message when it exits with code 0. */
export function runWorker<T = unknown>(name: string, workerData: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL(`./fixtures/${name}.mjs`, import.meta.url), { workerData });
    let last: T | undefined;
    worker.on('message', (message: T) => {
      last = message;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code === 0) resolve(last as T);
      else reject(new Error(`worker ${name} exited with code ${code}`));
    });
  });
}
