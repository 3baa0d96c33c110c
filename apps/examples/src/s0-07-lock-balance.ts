/**
 * s0-07 — seeds/000_35bfbc5fd545abd3.txt, "Lock": two threads run `balance = balance + n;
 * balance = balance - n` 100000 times each, under `lock.acquire()` / `finally: lock.release()`.
 * In Python the threads share the global `balance`. weft's threads are workers with their own
 * globals, so the balance lives in shared memory: a RawValue (no lock of its own). With the Lock the
 * result is exactly 0. Without it the two read-modify-write sequences race — and unlike Python, with no
 * GIL both threads truly run at once, so the race is usually plain to see.
 */
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';

export function runThread(balance: RawValue<'i'>, lock: Lock | null, n: number, times: number): void {
  for (let i = 0; i < times; i++) {
    if (lock === null) {
      balance.value = balance.value + n; // no lock: the race the note warns about
      balance.value = balance.value - n;
      continue;
    }
    lock.acquireSync(); // 先要获取锁
    try {
      balance.value = balance.value + n;
      balance.value = balance.value - n;
    } finally {
      lock.release(); // 一定要释放锁
    }
  }
}

async function run(lock: Lock | null, times: number): Promise<number> {
  const balance = new RawValue('i', 0);
  const t1 = new Process({ target: runThread, args: [balance, lock, 5, times] });
  const t2 = new Process({ target: runThread, args: [balance, lock, 8, times] });
  t1.start();
  t2.start();
  await t1.join();
  await t2.join();
  return balance.value;
}

if (isMainThread) {
  print(await run(new Lock(), 100000));
  const unlocked = await run(null, 1000000);
  print(
    `without the lock (1000000 rounds each): balance = ${unlocked}${unlocked === 0 ? ' (0 only by luck)' : ' (the race)'}`,
  );
}
