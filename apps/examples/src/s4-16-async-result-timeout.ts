/**
 * s4-16 — seeds/004_10c85533a5432f39.txt: `with Pool(processes=4) as pool:`
 * `pool.apply_async(f, (10,)).get(timeout=1)` prints 100; `pool.apply_async(time.sleep, (10,))
 * .get(timeout=1)` raises `multiprocessing.TimeoutError`.
 * `await using` is the `with` block (leaving it terminates the pool, stopping the sleeping task).
 * `time.sleep` cannot be sent by name from JavaScript, so a module function `timeSleep(seconds)` does it.
 * Timeouts: the 10 s sleep and the second 1 s timeout are both scaled by WEFT_TIME_SCALE. The first
 * `get` waits up to 10 s, not 1 s: its task is instant, but starting four worker threads on a busy
 * machine can take longer than a second, and that is not what the snippet is about.
 */
import { isMainThread, Pool } from '@weft/pool';
import { print } from './lib/print.js';
import { scaled, sleepSync } from './lib/time.js';

export function f(x: number): number {
  return x * x;
}

export function timeSleep(seconds: number): void {
  sleepSync(seconds * 1000);
}

if (isMainThread) {
  await using pool = new Pool(4); // 进程池包含4个进程
  const result = pool.applyAsync(f, [10]); // 执行一个子进程
  print(await result.get(10000)); // 显示执行结果
  const sleeping = pool.applyAsync(timeSleep, [10]);
  try {
    print(await sleeping.get(scaled(1000))); // raises TimeoutError
  } catch (error) {
    print(`${(error as Error).name}: ${(error as Error).message}`);
  }
}
