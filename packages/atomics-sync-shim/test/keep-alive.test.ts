import { Worker } from 'node:worker_threads';
import { notify, waitAsync } from '@weft/atomics-sync-shim';
import { describe, expect, it } from 'vitest';
import { fixture } from './worker-helpers.js';

// nodejs/node#44729: a pending Atomics.waitAsync does not keep a thread alive.
describe.each([
  ['native', false],
  ['fallback', true],
])('a worker whose only pending work is waitAsync (%s)', (_, fallback) => {
  async function start(keepAlive: boolean) {
    const sab = new SharedArrayBuffer(12);
    const i32 = new Int32Array(sab);
    const worker = new Worker(fixture('keep-alive.mjs'), { workerData: { sab, keepAlive, fallback } });
    const messages: unknown[] = [];
    worker.on('message', (message) => messages.push(message));
    let exitedYet = false;
    const exited = new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => {
        exitedYet = true;
        resolve(code);
      });
    });
    // Armed: word 1 becomes 1 (or the worker already ended, which the assertions below catch).
    while (Atomics.load(i32, 1) === 0 && !exitedYet) await waitAsync(i32, 1, 0, 50);
    return { i32, worker, messages, exited, exitedYet: () => exitedYet };
  }

  it('stays alive with keepAlive until notified, then resolves ok and exits', async () => {
    const { i32, messages, exited, exitedYet } = await start(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exitedYet()).toBe(false);
    expect(Atomics.load(i32, 2)).toBe(0);
    Atomics.store(i32, 0, 1);
    notify(i32, 0);
    expect(await exited).toBe(0);
    expect(Atomics.load(i32, 2)).toBe(1);
    expect(messages).toEqual(['ok']);
  });

  it('exits without keepAlive, its wait never resolved', async () => {
    const { i32, messages, exited } = await start(false);
    expect(await exited).toBe(0);
    expect(Atomics.load(i32, 2)).toBe(0);
    expect(messages).toEqual([]);
  });
});
