import { Worker } from 'node:worker_threads';

export function fixture(name: string): URL {
  return new URL(`./fixtures/${name}`, import.meta.url);
}

export interface Running<M> {
  worker: Worker;
  /** Messages the worker posted, in order. */
  messages: M[];
  /** Resolves with the messages when the worker exits with code 0; rejects on an error or another code. */
  done: Promise<M[]>;
}

/** Starts a fixture worker; `workerData` may carry queue handles (SharedArrayBuffers travel as is). */
export function runWorker<M = unknown>(name: string, workerData: unknown): Running<M> {
  const worker = new Worker(fixture(name), { workerData });
  const messages: M[] = [];
  worker.on('message', (message: M) => messages.push(message));
  const done = new Promise<M[]>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code === 0) resolve(messages);
      else reject(new Error(`worker ${name} exited with code ${code}`));
    });
  });
  return { worker, messages, done };
}

/** Resolves once `predicate` holds, checking every few milliseconds (for "the worker is now blocked"). */
export async function until(predicate: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Deterministic payload of `size` bytes for (producer, seq), and its checksum. */
export function payloadChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum * 31 + bytes[i]!) >>> 0;
  return sum;
}
