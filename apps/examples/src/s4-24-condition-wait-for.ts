/**
 * s4-24 — seeds/004_10c85533a5432f39.txt, "条件锁": 10 threads each `conn.acquire()`,
 * `conn.wait_for(condition)` — where `condition()` asks `input(">>>")` and is true on `yes` — then print
 * `i + 100`.
 * Worker threads cannot read the terminal, so the question is asked by the main thread: it stores the
 * answer in shared memory and `notifyAll()`s; each waiter's predicate checks it. Any answer but `yes`
 * leaves the waiters waiting (Python: forever) and the question is asked again. When stdin is not a
 * terminal the answer is the next piped line, or `yes` by default.
 */
import { Condition } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { ask, stopAsking } from './lib/ask.js';
import { print } from './lib/print.js';

export async function func(conn: Condition, answeredYes: RawValue<'i'>, i: number): Promise<void> {
  await conn.acquire();
  await conn.waitFor(() => answeredYes.value === 1); // 这个方法接受一个函数的返回值，等待，直到条件计算为真
  print(i + 100);
  conn.release();
}

if (isMainThread) {
  const c = new Condition();
  const answeredYes = new RawValue('i', 0);
  const threads = Array.from(
    { length: 10 },
    (_, i) => new Process({ target: func, args: [c, answeredYes, i] }),
  );
  for (const t of threads) t.start();
  while (answeredYes.value !== 1) {
    const r = await ask('>>>', 'yes');
    await c.acquire();
    if (r === 'yes') answeredYes.value = 1;
    c.notifyAll();
    c.release();
  }
  stopAsking();
  for (const t of threads) await t.join();
}
