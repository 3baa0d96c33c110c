import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { putSyncWhileGetPending } from './fixtures/same-thread-put.mjs';
import { fixture } from './run-worker.js';

const each = { got: 'hello', order: [1, 2] };
const expected = { Queue: each, JoinableQueue: each, LifoQueue: each, PriorityQueue: each };

function inWorker(): Promise<unknown> {
  const worker = new Worker(fixture('same-thread-put.mjs'), { workerData: 'run' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error("the worker's thread froze (no outcome within 10 s)"));
    }, 10_000);
    worker.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once('error', reject);
  });
}

describe('putSync / getSync while the same thread has an await get() / put() pending (issue 16)', () => {
  it('in a worker using the async API', async () => {
    expect(await inWorker()).toEqual(expected);
  });

  it("on this (the test's main) thread", async () => {
    expect(await inWorker()).toEqual(expected); // proven in a worker first: a freeze fails, not hangs
    expect(await putSyncWhileGetPending()).toEqual(expected);
  });
});
