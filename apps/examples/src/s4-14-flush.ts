/**
 * s4-14 — seeds/004_10c85533a5432f39.txt, "sys.stdout.flush()": output of children got lost because it
 * sat in the child's stdout buffer at exit; `func2` flushes after printing, under the lock.
 * In Node: `console.log` in a worker thread is buffered too — it is posted to the main thread, which
 * writes it later. These examples' `print` is `print(...); sys.stdout.flush()` in one: a direct write
 * to file descriptor 1. Ten children (real processes here, like Python's) print and exit at once;
 * every line arrives.
 */
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export async function func2(l: Lock, i: number): Promise<void> {
  await l.acquire();
  try {
    print('hello world', i); // write + flush
  } finally {
    l.release();
  }
}

if (isMainThread) {
  const lock = new Lock();
  const processes = Array.from(
    { length: 10 },
    (_, num) => new Process({ target: func2, args: [lock, num], context: 'process' }),
  );
  for (const p of processes) p.start();
  for (const p of processes) await p.join();
  const failed = processes.filter((p) => p.exitCode !== 0);
  if (failed.length > 0) {
    print(`${failed.length} children failed: exit codes ${failed.map((p) => p.exitCode).join(', ')}`);
    process.exitCode = 1;
  } else {
    print('all 10 children exited');
  }
}
