/**
 * s1-18 — seeds/001_735ae49c9afa6657.txt: `apply_async` × 10, `print('end')`, `pool.close()`, and
 * `pool.join()` commented out: only `end` is printed, because the script ends while the tasks still
 * sleep, and at exit Python terminates the pool's workers.
 * Node has no such exit hook for a pool: where Python's script ends and its finaliser terminates the
 * pool, this one calls `terminate()`. The tasks are stopped mid-sleep; nothing else is printed.
 */
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { sleepSync } from './lib/time.js';

export function Foo(i: number): number {
  sleepSync(2000);
  print('in process', pidAndThread());
  return i + 100;
}

if (isMainThread) {
  const pool = new Pool(5);
  for (let i = 0; i < 10; i++) {
    pool.applyAsync(Foo, [i]); // 使用pool.apply_async就可以并行了
  }
  print('end');
  pool.close();
  // pool.join()   注释掉
  await pool.terminate(); // what Python's exit does to the pool
}
