/**
 * s0-06 — seeds/000_35bfbc5fd545abd3.txt, "多线程": `threading.Thread(target=loop, name='LoopThread')`,
 * the thread prints its name and ticks 5 times, a second apart.
 * weft has no separate Thread class: a Process in the (default) `thread` context is a real OS thread
 * (a worker thread). `currentProcess().name` is `threading.current_thread().name`.
 * Differs from Python: the worker has its own module state (no shared globals, no GIL).
 */
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function loop(): Promise<void> {
  const name = currentProcess().name;
  print(`thread ${name} is running...`);
  let n = 0;
  while (n < 5) {
    n = n + 1;
    print(`thread ${name} >>> ${n}`);
    await sleep(1000);
  }
  print(`thread ${name} ended.`);
}

if (isMainThread) {
  print(`thread ${currentProcess().name} is running...`);
  const t = new Process({ target: loop, name: 'LoopThread' });
  t.start();
  await t.join();
  print(`thread ${currentProcess().name} ended.`);
}
