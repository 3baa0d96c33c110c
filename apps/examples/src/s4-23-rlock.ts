/**
 * s4-23 — seeds/004_10c85533a5432f39.txt, "Lock普通锁不可嵌套，RLock普通锁可嵌套": 5 threads share one
 * `RLock`; each acquires it, prints `thread <name> get mutex`, sleeps 1 s, acquires it *again* (a
 * plain Lock would deadlock here), releases twice. No deadlock: all five finish, one after another.
 */
import { RLock } from '@weft/lock';
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function run(mutex: RLock): Promise<void> {
  if (await mutex.acquire()) {
    print(`thread ${currentProcess().name} get mutex`);
    await sleep(1000);
    await mutex.acquire(); // the same thread again: an RLock counts, a Lock would block forever
    mutex.release();
  }
  mutex.release();
}

if (isMainThread) {
  const mutex = new RLock();
  const threads = Array.from(
    { length: 5 },
    (_, i) => new Process({ target: run, args: [mutex], name: `Thread-${i + 1}` }),
  );
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
  print('all 5 threads done: no deadlock');
}
