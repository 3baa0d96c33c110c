/**
 * s3-13 — seeds/003_a45aef1e4cf1acde.txt, related article "Python多进程通信Queue、Pipe、Value、Array实例":
 * a Queue (many processes) and a Pipe (two ends) carry messages; `Value` and `Array` are shared
 * memory that a child changes in place: `num.value = 3.1415927`, `a[i] = -a[i]`.
 * weft's SharedArray is `Array` (the name `Array` is JavaScript's own).
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { SharedArray, Value } from '@weft/shared-memory';
import { print } from './lib/print.js';

export async function child(
  q: Queue<string>,
  conn: Connection,
  num: Value<'d'>,
  arr: SharedArray<'i'>,
): Promise<void> {
  await q.put('through the Queue');
  conn.send('through the Pipe');
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the note's own number, printed as is
  num.value = 3.1415927;
  for (let i = 0; i < arr.length; i++) arr.set(i, -arr.get(i));
}

if (isMainThread) {
  const q = new Queue<string>();
  const [parentConn, childConn] = Pipe();
  const num = new Value('d', 0.0);
  const arr = new SharedArray('i', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const p = new Process({ target: child, args: [q, childConn, num, arr] });
  p.start();
  print(await q.get());
  print(await parentConn.recv());
  await p.join();
  print(num.value);
  print(arr.toArray());
}
