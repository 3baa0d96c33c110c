/**
 * s4-07 — seeds/004_10c85533a5432f39.txt, "队列" (the official documentation's demo): the child puts
 * `[42, None, 'hello']`, the parent gets it: prints `[42, null, 'hello']`.
 */
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';

export async function f(q: Queue<unknown[]>): Promise<void> {
  await q.put([42, null, 'hello']);
}

if (isMainThread) {
  const q = new Queue<unknown[]>();
  const p = new Process({ target: f, args: [q] });
  p.start();
  print(await q.get()); // prints "[42, null, 'hello']"
  await p.join();
}
