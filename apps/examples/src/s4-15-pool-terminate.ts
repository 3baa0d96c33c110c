/**
 * s4-15 — seeds/004_10c85533a5432f39.txt, "Pool 类表示一个工作进程池": `Pool(4)`, 10 × `apply_async(run,
 * args=(i,))` where `run` sleeps `random.choice([1, 2, 3, 4])` seconds; `close()`, `join()`, print
 * 父进程结束。, then `terminate()` (harmless once all is done).
 */
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { secondsSince, sleep } from './lib/time.js';

export async function run(name: number): Promise<void> {
  print(`${name}子进程开始，进程ID：${pidAndThread()}`);
  const start = performance.now();
  await sleep(([1, 2, 3, 4][Math.floor(Math.random() * 4)] ?? 1) * 1000);
  print(`${name}子进程结束，进程ID：${pidAndThread()}。耗时${secondsSince(start)}`);
}

if (isMainThread) {
  print('父进程开始');
  const p = new Pool(4); // 默认大小是CPU的核心数
  for (let i = 0; i < 10; i++) p.applyAsync(run, [i]);
  p.close(); // close()之后不能再继续往进程池添加新的进程
  await p.join();
  print('父进程结束。');
  await p.terminate();
}
