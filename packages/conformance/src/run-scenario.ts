/**
 * Runs one ported test on one backend in a worker thread of its own, under a watchdog: a test that
 * does not finish in time (a hang, even one that freezes its thread in Atomics.wait) fails with its
 * name, its child processes are killed and its thread terminated, and the suite goes on.
 */
import { Worker } from 'node:worker_threads';
import type { Backend } from './backends.js';

export interface ScenarioError {
  name: string;
  message: string;
  stack?: string;
}
export type Outcome = { ok: true } | { ok: false; error: ScenarioError; timedOut: boolean };

type RunnerMessage = { type: 'child'; pid: number } | ({ type: 'done' } & Outcome);

const runnerUrl = new URL('./harness/runner.mjs', import.meta.url);

export function runScenario(
  moduleUrl: string,
  className: string,
  testName: string,
  backend: Backend,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const children = new Set<number>();
    const worker = new Worker(runnerUrl, {
      workerData: { moduleUrl, className, testName, backend },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Only a test that failed can leave children behind (a passing one joined them).
      if (!outcome.ok)
        for (const pid of children) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      void worker.terminate().then(() => resolve(outcome));
    };
    const timer = setTimeout(() => {
      finish({
        ok: false,
        timedOut: true,
        error: {
          name: 'TimeoutError',
          message: `${className}.${testName} on ${backend} did not finish within ${timeoutMs} ms (a hang)`,
        },
      });
    }, timeoutMs);
    worker.on('message', (message: RunnerMessage) => {
      if (message.type === 'child') children.add(message.pid);
      else if (message.ok) finish({ ok: true });
      else finish({ ok: false, error: message.error, timedOut: false });
    });
    worker.on('error', (error) => {
      finish({ ok: false, timedOut: false, error: { name: error.name, message: error.message } });
    });
    worker.on('exit', (code) => {
      finish({
        ok: false,
        timedOut: false,
        error: { name: 'Error', message: `the test's thread exited (code ${code}) before reporting` },
      });
    });
  });
}
