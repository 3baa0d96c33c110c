import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { scenarios } from './fixtures/same-thread-flows.mjs';

const expected: Record<string, Record<string, unknown>> = {
  'barrier-abort': { broken: true, isBroken: true },
  'barrier-reset': { broken: true, isBroken: false, again: [0, 1] },
  'barrier-abort-parked': { first: true, second: true, nWaiting: 0 },
  'event-set': { notified: true },
  'condition-notify': { notified: true },
  'semaphore-release': { acquired: true },
};

/** Runs a scenario in a worker; rejects naming it if the worker's thread stays frozen for 10 s. */
function inWorker(name: string): Promise<{ outcome?: Record<string, unknown>; error?: string }> {
  const worker = new Worker(new URL('./fixtures/same-thread-flows-worker.mjs', import.meta.url), {
    workerData: { name },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`${name}: the worker's thread froze (no outcome within 10 s)`));
    }, 10_000);
    worker.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once('error', reject);
  });
}

describe('a second flow of control on the thread that has an async wait pending (issue 16, symptom 3)', () => {
  for (const [name, outcome] of Object.entries(expected)) {
    it(`${name}: in a worker using the async API`, async () => {
      expect(await inWorker(name)).toEqual({ outcome });
    });

    it(`${name}: on this (the test's main) thread`, async () => {
      // Proven in a worker first: a regression that freezes a thread must fail here, not hang the run.
      expect(await inWorker(name)).toEqual({ outcome });
      expect(await scenarios[name]!()).toEqual(outcome);
    });
  }
});
