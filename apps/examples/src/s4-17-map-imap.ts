/**
 * s4-17 — seeds/004_10c85533a5432f39.txt: `pool.map(f, range(10))` prints `[0, 1, 4, ..., 81]`;
 * `it = pool.imap(f, range(10))`, `print(it)`, `next(it)` 0, `next(it)` 1, `it.next(timeout=1)` 4.
 * weft's imap is an async iterator: `(await it.next()).value`; `it.next(1000)` takes a timeout in ms.
 */
import { isMainThread, Pool } from '@weft/pool';
import { print } from './lib/print.js';

export function f(x: number): number {
  return x * x;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

if (isMainThread) {
  await using pool = new Pool(4); // 进程池包含4个进程
  print(await pool.map(f, range(10))); // 输出 "[0, 1, 4,..., 81]"
  const it = pool.imap(f, range(10)); // map输出列表，imap输出迭代器
  print(`<${it.constructor.name} object>`);
  print((await it.next()).value); // "0"
  print((await it.next()).value); // "1"
  print((await it.next(1000)).value); // "4"
}
