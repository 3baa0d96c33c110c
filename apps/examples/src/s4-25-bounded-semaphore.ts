/**
 * s4-25 — seeds/004_10c85533a5432f39.txt, "信号量": `semaphore = threading.BoundedSemaphore(5)`, 20
 * threads each acquire it, print `run the thread: n`, sleep 1 s, release: at most 5 run at once.
 * Added: a shared counter records the most holders seen (never more than 5), and one release too many
 * shows what "Bounded" means (Python raises ValueError).
 */
import { BoundedSemaphore } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { Value } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function run(
  semaphore: BoundedSemaphore,
  n: number,
  holders: Value<'i'>,
  most: Value<'i'>,
): Promise<void> {
  await semaphore.acquire();
  await holders.getLock().withLock(() => {
    holders.value += 1;
    most.value = Math.max(most.value, holders.value);
  });
  print(`run the thread: ${n}`);
  await sleep(1000);
  await holders.getLock().withLock(() => {
    holders.value -= 1;
  });
  semaphore.release();
}

if (isMainThread) {
  const semaphore = new BoundedSemaphore(5); // 最多允许5个线程同时运行
  const holders = new Value('i', 0);
  const most = new Value('i', 0);
  const threads = Array.from(
    { length: 20 },
    (_, i) => new Process({ target: run, args: [semaphore, i, holders, most] }),
  );
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
  print(`at most ${most.value} threads held the semaphore at once`);
  try {
    semaphore.release();
    print('a 6th release was accepted (unexpected)');
  } catch (error) {
    print(`one release too many: ${(error as Error).name}: ${(error as Error).message}`);
  }
}
