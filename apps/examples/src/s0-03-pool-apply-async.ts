/**
 * s0-03 — seeds/000_35bfbc5fd545abd3.txt, "Pool -- 进程池": `Pool(4)`, five
 * `apply_async(long_time_task, args=(i,))`, close, join (also s2-03).
 * Four tasks run at once; the fifth starts on whichever worker finishes first. Workers are threads
 * here (weft's default context), told apart by their thread id. Sleeps are `random() * 3` seconds.
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
  for (let i = 0; i < 5; i++) p.applyAsync(longTimeTask, [i]);
  print('Waiting for all subprocesses done...');
  p.close();
  await p.join();
  print('All subprocesses done.');
}
