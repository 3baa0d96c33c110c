/**
 * s4-22 — seeds/004_10c85533a5432f39.txt: `mutex = threading.Lock()`, 5 × `MyThread`, each sleeps 1 s,
 * then `if mutex.acquire(1):` increments the global `num` and prints `<name> : num value is <num>`.
 * (The note's comment reads `acquire(1)` as a 1 s timeout; in Python the 1 is `blocking=True`. Here it
 * is a real timeout: `acquire({ timeout: 1000 })`, and the lock is released only when it was taken.)
 * The global `num` lives in shared memory (a RawValue), since weft's threads have their own globals.
 */
import { Lock } from '@weft/lock';
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function run(num: RawValue<'i'>, mutex: Lock): Promise<void> {
  await sleep(1000);
  if (await mutex.acquire({ timeout: 1000 })) {
    // 加锁
    num.value = num.value + 1;
    print(`${currentProcess().name} : num value is  ${num.value}`);
    mutex.release(); // 解锁
  } else {
    print(`${currentProcess().name} : no lock within 1 s`);
  }
}

if (isMainThread) {
  const num = new RawValue('i', 0);
  const mutex = new Lock();
  const threads = Array.from(
    { length: 5 },
    (_, i) => new Process({ target: run, args: [num, mutex], name: `Thread-${i + 1}` }),
  );
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
}
