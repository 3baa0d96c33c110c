/**
 * The file a worker thread or a child process starts from: the worker bundle of the caller's own format
 * (worker.js for ESM, worker.cjs for CommonJS), so that the packages its codec loads on demand are the
 * ones the task modules import.
 */
export const workerFile = new URL(
  import.meta.url.endsWith('.cjs') ? './worker.cjs' : './worker.js',
  import.meta.url,
);
