/**
 * s2-04 — seeds/002_c95671d694233dbc.txt, the same work as s2-03 with `p.map(long_time_task,
 * [i for i in range(5)])` instead of the apply_async loop: `map` blocks until all five are done, so
 * no close/join is needed before "All subprocesses done." (`await pool.map(...)`; the pool is then
 * closed so the program can end — Python's pool is cleaned up at exit.)
 */
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { secondsSince, sleep } from './lib/time.js';

export async function longTimeTask(name: number): Promise<void> {
  print(`Run task ${name} (${pidAndThread()})...`);
  const start = performance.now();
  await sleep(Math.random() * 3000);
  print(`Task ${name} runs ${secondsSince(start)} seconds.`);
}

if (isMainThread) {
  print(`Parent process ${pidAndThread()}.`);
  const p = new Pool(4);
  await p.map(longTimeTask, [0, 1, 2, 3, 4]);
  print('All subprocesses done.');
  p.close();
  await p.join();
}
