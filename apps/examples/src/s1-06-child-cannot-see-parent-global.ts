/**
 * s1-06 — seeds/001_735ae49c9afa6657.txt, "进程": the child's `f()` uses the parent's global `q`,
 * which does not exist in the child: `NameError: name 'q' is not defined`, and the parent's `q.get()`
 * then waits forever.
 * Same in weft: a worker imports this module afresh, where `q` was never assigned (the main code is
 * guarded), so `q.put` fails with a TypeError. The worker prints the error; the parent's `get` has a
 * timeout instead of hanging, and the worker's exit code says it failed.
 */
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

let q: Queue<unknown[]> | undefined; // 主进程起的q: assigned only in the main thread

export async function f(): Promise<void> {
  try {
    await q!.put([42, null, 'heelo']); // 这里的q属于主进程
  } catch (error) {
    print(`Process ${currentProcess().name}: ${(error as Error).name}: ${(error as Error).message}`);
    throw error;
  }
}

if (isMainThread) {
  q = new Queue<unknown[]>();
  const p = new Process({ target: f });
  p.start();
  try {
    print(await q.get({ timeout: 2000 }));
  } catch (error) {
    print(`parent: nothing arrived in 2 s (${(error as Error).name}): the child never saw q`);
  }
  await p.join();
  print('child exit code:', p.exitCode);
}
