/**
 * s3-04 — seeds/003_a45aef1e4cf1acde.txt, "多进程的通信": a global `L1 = [1, 2, 3]`, two processes each
 * run `L1 += range(a, b)` and print it; the parent's `L1` is still `[1, 2, 3]`.
 * A weft worker imports the module afresh, so it has its own `L1` too: the same result.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

const L1 = [1, 2, 3];

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

export function add(a: number, b: number): void {
  L1.push(...range(a, b)); // L1 += range(a, b)
  print(L1);
}

if (isMainThread) {
  const p1 = new Process({ target: add, args: [20, 30] });
  const p2 = new Process({ target: add, args: [30, 40] });
  p1.start();
  p2.start();
  await p1.join();
  await p2.join();
  print(L1);
}
