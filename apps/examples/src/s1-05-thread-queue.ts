/**
 * s1-05 — seeds/001_735ae49c9afa6657.txt, "线程": `queue.Queue()` shared by the main thread and a
 * `threading.Thread(target=f)` that puts `[42, None, 'heelo']`.
 * Python's thread shares the global `q`; a weft thread is a worker with its own globals, so the queue
 * is handed to it as an argument (weft's Queue lives in shared memory and crosses to any worker).
 */
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

export async function f(q: Queue<unknown[]>): Promise<void> {
  await q.put([42, null, 'heelo']);
}

if (isMainThread) {
  const q = new Queue<unknown[]>();
  const p = new Process({ target: f, args: [q] });
  p.start();
  print(await q.get());
  await p.join();
}
