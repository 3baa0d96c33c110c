/**
 * s4-06 — seeds/004_10c85533a5432f39.txt, "全局变量在多个进程中不能共享": `num = 100`; the child does
 * `global num; num += 1` and prints 101; the parent still prints 100.
 * A weft worker has its own copy of every module global too.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

let num = 100;

export function run(): void {
  print('子进程开始');
  num += 1;
  print(`子进程num：${num}`);
  print('子进程结束');
}

if (isMainThread) {
  print('父进程开始');
  const p = new Process({ target: run });
  p.start();
  await p.join();
  // 在子进程中修改全局变量对父进程中的全局变量没有影响
  print(`父进程结束。num：${num}`);
}
