/**
 * s4-09 — seeds/004_10c85533a5432f39.txt, "共享内存": `num = Value('d', 0.0)`, `arr = Array('i', range(10))`;
 * the child sets `n.value = 3.1415927` and negates every element; the parent prints `3.1415927` and
 * `[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]`. weft's `Array` is `SharedArray` (`Array` is JavaScript's).
 */
import { isMainThread, Process } from '@weft/pool';
import { SharedArray, Value } from '@weft/shared-memory';
import { print } from './lib/print.js';

export function f(n: Value<'d'>, a: SharedArray<'i'>): void {
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the note's own number, printed as is
  n.value = 3.1415927;
  for (const i of a) a.set(i, -a.get(i)); // for i in a: a[i] = -a[i]
}

if (isMainThread) {
  const num = new Value('d', 0.0);
  const arr = new SharedArray('i', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const p = new Process({ target: f, args: [num, arr] });
  p.start();
  await p.join();
  print(num.value);
  print(arr.toArray()); // arr[:]
}
