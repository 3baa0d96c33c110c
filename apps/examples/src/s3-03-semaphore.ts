/**
 * s3-03 — seeds/003_a45aef1e4cf1acde.txt, "Semaphore" (text only): `s = Semaphore(N)`; each
 * `acquire()` takes one of N resources, blocking at 0; each `release()` gives one back.
 * Six workers share `Semaphore(2)`; each holds it for 0.5 s. A shared counter (under its Value's lock)
 * records how many hold it at once: never more than 2.
 */
import { Semaphore } from '@weft/lock';
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { Value } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function useResource(s: Semaphore, holders: Value<'i'>, mostHolders: Value<'i'>): Promise<void> {
  const name = currentProcess().name;
  await s.acquire();
  try {
    const now = await holders.getLock().withLock(() => {
      holders.value += 1;
      if (holders.value > mostHolders.value) mostHolders.value = holders.value;
      return holders.value;
    });
    print(`${name} acquired the semaphore (${now} holding it)`);
    await sleep(500);
    await holders.getLock().withLock(() => {
      holders.value -= 1;
    });
    print(`${name} releases it`);
  } finally {
    s.release();
  }
}

if (isMainThread) {
  const N = 2;
  const s = new Semaphore(N);
  const holders = new Value('i', 0);
  const mostHolders = new Value('i', 0);
  const workers = Array.from(
    { length: 6 },
    (_, i) => new Process({ target: useResource, args: [s, holders, mostHolders], name: `worker-${i}` }),
  );
  for (const w of workers) w.start();
  for (const w of workers) await w.join();
  print(`Semaphore(${N}): at most ${mostHolders.value} held it at once`);
}
