/**
 * s4-33 — seeds/004_10c85533a5432f39.txt, `concurrent.futures.ThreadPoolExecutor`: `with
 * ThreadPoolExecutor(3) as executor: executor.submit(func, seed)` prints `call func ['a', 'b', 'c', 'd']`;
 * `executor2.map(func, seed)` calls it once per letter; `ThreadPoolExecutor(max_workers=1).submit(pow,
 * 2, 3).result()` is 8.
 * `with` is `await using` (leaving it shuts the executor down, waiting for its work). `pow` cannot be
 * sent by name from JavaScript, so a module function `pow` stands in for the built-in. weft's `map`
 * is an async iterable; it is read to the end, as leaving Python's `with` waits for every call.
 */
import { ThreadPoolExecutor } from '@weft/executor';
import { isMainThread } from '@weft/pool';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export function func(args: unknown): void {
  print(
    `call func ${typeof args === 'string' ? args : JSON.stringify(args).replaceAll('"', "'").replaceAll(',', ', ')}`,
  );
}

export function pow(base: number, exponent: number): number {
  return base ** exponent;
}

if (isMainThread) {
  const seed = ['a', 'b', 'c', 'd'];
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 3 });
    executor.submit(func, seed);
  }
  await sleep(1000);
  {
    await using executor2 = new ThreadPoolExecutor({ maxWorkers: 3 });
    for await (const _ of executor2.map(func, seed)) {
      // each call prints its own line
    }
  }
  await sleep(1000);
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const future = executor.submit(pow, 2, 3);
    print(await future.result());
  }
}
