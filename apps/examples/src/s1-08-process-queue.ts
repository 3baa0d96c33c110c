/**
 * s1-08 — seeds/001_735ae49c9afa6657.txt, `from multiprocessing import Process, Queue`: the parent's
 * Queue passed to the child, which puts `[42, None, 'heelo']`; the parent gets it (also s3-12).
 * As the note says, nothing is shared by magic: the value is serialised into the queue's shared buffer
 * by the child and read back by the parent.
 */
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

export async function f(qq: Queue<unknown[]>): Promise<void> {
  await qq.put([42, null, 'heelo']);
}

if (isMainThread) {
  const q = new Queue<unknown[]>();
  const p = new Process({ target: f, args: [q] }); // 将父进程q传给子进程
  p.start();
  print(await q.get()); // 父进程去get子进程的内容
  await p.join();
}
