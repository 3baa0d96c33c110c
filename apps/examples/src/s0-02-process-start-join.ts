/**
 * s0-02 — seeds/000_35bfbc5fd545abd3.txt, `Process(target=run_proc, args=('test',))`, start, join
 * (also s2-02). weft's Process runs `runProc` in a worker thread by default (`context: 'thread'`):
 * same process id, its own thread id. `join()` is awaited.
 */
import { isMainThread, Process } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';

export function runProc(name: string): void {
  print(`Run child process ${name} (${pidAndThread()})...`);
}

if (isMainThread) {
  print(`Parent process ${pidAndThread()}.`);
  const p = new Process({ target: runProc, args: ['test'] });
  print('Child process will start.');
  p.start();
  await p.join();
  print('Child process end.');
}
