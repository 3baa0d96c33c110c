/**
 * s1-19 — seeds/001_735ae49c9afa6657.txt: `apply_async` × 10, `print('end')`, `close()`, `join()`:
 * `end` first, then the tasks' lines five at a time (Pool(5), 2 s each).
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
    pool.applyAsync(Foo, [i]);
  }
  print('end');
  pool.close();
  await pool.join();
}
