/**
 * s1-16 — seeds/001_735ae49c9afa6657.txt, "进程同步": `lock = Lock()`, 10 ×
 * `Process(target=f, args=(lock, num)).start()`, `f` prints `hello world i` between acquire and
 * release (also s3-17, the related article's `func(lock, a)`).
 * Lines come in any order, but whole: `print` here writes the text and the newline separately, as
 * CPython does, so it is the Lock that keeps two workers from mixing a line.
 * Python waits for its children at exit; JavaScript's main code awaits them explicitly.
 */
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { printInTwoWrites } from './lib/print.js';

export function f(l: Lock, i: number): void {
  l.acquireSync(); // 获取修改数据的锁
  printInTwoWrites('hello world', i);
  l.release(); // 释放锁
}

if (isMainThread) {
  const lock = new Lock(); // 实例锁
  const processes: Process[] = [];
  for (let num = 0; num < 10; num++) {
    const p = new Process({ target: f, args: [lock, num] });
    p.start();
    processes.push(p);
  }
  for (const p of processes) await p.join();
}
