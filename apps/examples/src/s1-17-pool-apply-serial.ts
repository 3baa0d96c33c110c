/**
 * s1-17 — seeds/001_735ae49c9afa6657.txt, "进程池": `Pool(5)`, `pool.apply(func=Foo, args=(i,))` × 10,
 * `print('end')`, close, join. `apply` waits for each result, so the tasks run one at a time
 * ("pool.apply就是通过串行的方式来执行"): 10 × 2 s. weft's `apply` is awaited.
 */
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { sleepSync } from './lib/time.js';

export function Foo(i: number): number {
  sleepSync(2000);
  print('in process', pidAndThread()); // 打印进程id
  return i + 100;
}

export function Bar(arg: number): void {
  print('-->exec done:', arg);
}

if (isMainThread) {
  const pool = new Pool(5); // 同时只能放入5个进程
  for (let i = 0; i < 10; i++) {
    await pool.apply(Foo, [i]); // pool.apply用来将进程放入pool
  }
  print('end');
  pool.close();
  await pool.join();
}
