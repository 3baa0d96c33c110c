/**
 * s4-03 — seeds/004_10c85533a5432f39.txt, `join([timeout])`: the parent prints 父进程启动, starts a child
 * that prints 子进程开启, sleeps 2 s, prints 子进程结束; `p.join()`; then 父进程结束.
 * (The note's "输出结果" lists 父进程结束 second — that is what happens *without* join; with `join()`
 * the parent's last line comes after the child's, as here.)
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function run(): Promise<void> {
  print('子进程开启');
  await sleep(2000);
  print('子进程结束');
}

if (isMainThread) {
  print('父进程启动');
  const p = new Process({ target: run });
  p.start();
  await p.join();
  print('父进程结束');
}
