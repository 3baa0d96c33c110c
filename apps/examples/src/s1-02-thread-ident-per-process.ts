/**
 * s1-02 — seeds/001_735ae49c9afa6657.txt: each of 10 processes sleeps 2 s, prints `heelo bob<i>`, then
 * starts a thread that prints `threading.get_ident()`. The idents are all different.
 * weft: each Process (a worker thread) starts another Process from inside it (a nested worker
 * thread), which prints its thread id (`threadId`, Node's thread ident).
 */
import { threadId } from 'node:worker_threads';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { sleepSync } from './lib/time.js';

export function threadRun(): void {
  print(threadId); // get_ident获取当前线程id
}

export async function run(name: string): Promise<void> {
  sleepSync(2000);
  print('heelo', name);
  const t = new Process({ target: threadRun }); // 在每个进程中又起了1个线程
  t.start();
  await t.join();
}

if (isMainThread) {
  const processes: Process[] = [];
  for (let i = 0; i < 10; i++) {
    const p = new Process({ target: run, args: [`bob${i}`] });
    p.start();
    processes.push(p);
  }
  for (const p of processes) await p.join();
}
