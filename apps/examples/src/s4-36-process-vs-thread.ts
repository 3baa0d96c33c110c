/**
 * s4-36 — seeds/004_10c85533a5432f39.txt, `p18_pvt.py`: `job(q)` sums `i + i**2 + i**3` for i < 1000000
 * and puts the sum on a Queue; `normal()` does it twice in a row, `multithread()` in two threads,
 * `multicore()` in two processes; each prints the result and its time. The note measured 1.41, 1.47
 * and 0.75 s: Python's threads were no faster than doing nothing in parallel (the GIL).
 * JavaScript has no GIL: weft's threads run on two cores at once, so they are about as fast as the
 * processes. The sum exceeds 2**53, so it is computed with BigInt to give Python's exact result.
 */
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

function sum(): bigint {
  let res = 0n;
  for (let i = 0n; i < 1000000n; i++) res += i + i ** 2n + i ** 3n;
  return res;
}

export async function job(q: Queue<bigint>): Promise<void> {
  await q.put(sum()); // queue
}

async function twoWorkers(context: 'thread' | 'process'): Promise<bigint> {
  const q = new Queue<bigint>();
  const p1 = new Process({ target: job, args: [q], context });
  const p2 = new Process({ target: job, args: [q], context });
  p1.start();
  p2.start();
  await p1.join();
  await p2.join();
  if (p1.exitCode !== 0 || p2.exitCode !== 0)
    throw new Error(`a ${context} worker failed (exit codes ${p1.exitCode}, ${p2.exitCode})`);
  const res1 = await q.get();
  const res2 = await q.get();
  return res1 + res2;
}

function normal(): void {
  let res = 0n;
  for (let round = 0; round < 2; round++) res += sum();
  print('normal:', res);
}

if (isMainThread) {
  const st = performance.now();
  normal();
  const st1 = performance.now();
  print('normal time:', ((st1 - st) / 1000).toFixed(2));
  print('multithread:', await twoWorkers('thread'));
  const st2 = performance.now();
  print('multithread time:', ((st2 - st1) / 1000).toFixed(2));
  print('multicore:', await twoWorkers('process'));
  print('multicore time:', ((performance.now() - st2) / 1000).toFixed(2));
}
