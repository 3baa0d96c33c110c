/**
 * s4-11 — seeds/004_10c85533a5432f39.txt, "加进程锁": the same two jobs, each holding `l` for its whole
 * loop: p1 prints 1|2|3|4|5| and then p2 8|11|14|17|20|.
 * Python starts p1 first and p1 nearly always wins the lock; to make that certain, the parent starts
 * p2 only once p1 holds the lock (`l.locked()`).
 */
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { Value } from '@weft/shared-memory';
import { print, printEnd } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function job(v: Value<'i'>, num: number, l: Lock): Promise<void> {
  await l.acquire(); // 锁住
  for (let i = 0; i < 5; i++) {
    await sleep(100);
    v.value += num; // 获取共享内存
    printEnd('|', v.value);
  }
  l.release(); // 释放
}

if (isMainThread) {
  const l = new Lock(); // 定义一个进程锁
  const v = new Value('i', 0); // 定义共享内存
  const p1 = new Process({ target: job, args: [v, 1, l] });
  const p2 = new Process({ target: job, args: [v, 3, l] });
  p1.start();
  while (!l.locked()) await new Promise((resolve) => setTimeout(resolve, 1));
  p2.start();
  await p1.join();
  await p2.join();
  print();
}
