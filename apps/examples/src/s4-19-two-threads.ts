/**
 * s4-19 — seeds/004_10c85533a5432f39.txt, `threading.Thread(target=run, args=("thread 1",))` and
 * `("thread 2",)`: each prints `current task： thread N` (the note's full-width colon kept).
 * weft's threads are Processes in the (default) thread context.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function run(n: string): void {
  print('current task：', n);
}

if (isMainThread) {
  const t1 = new Process({ target: run, args: ['thread 1'] });
  const t2 = new Process({ target: run, args: ['thread 2'] });
  t1.start();
  t2.start();
  await t1.join();
  await t2.join();
}
