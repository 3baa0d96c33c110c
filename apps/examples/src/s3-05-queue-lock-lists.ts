/**
 * s3-05 — seeds/003_a45aef1e4cf1acde.txt, "Queue": `add(q, lock, a, b)` builds `range(a, b)` under the
 * lock, puts it on the Queue and prints it; the parent joins both processes, then
 * `L += q.get() + q.get()` and prints the combined list.
 * Which child puts first is up to the scheduler, so the two halves may come in either order.
 */
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

export async function add(q: Queue<number[]>, lock: Lock, a: number, b: number): Promise<void> {
  await lock.acquire(); // 加锁避免写入时出现不可预知的错误
  const L1 = range(a, b);
  lock.release();
  await q.put(L1);
  print(L1);
}

if (isMainThread) {
  let L = [1, 2, 3];
  const q = new Queue<number[]>();
  const lock = new Lock();
  const p1 = new Process({ target: add, args: [q, lock, 20, 30] });
  const p2 = new Process({ target: add, args: [q, lock, 30, 40] });
  p1.start();
  p2.start();
  await p1.join();
  await p2.join();
  L = [...L, ...(await q.get()), ...(await q.get())];
  print(L);
}
