/**
 * s4-13 — seeds/004_10c85533a5432f39.txt, "给print加一把锁": `func(l, i)` prints `hello world i` between
 * `l.acquire()` and `try: … finally: l.release()`, in 10 processes: whole lines in any order.
 * The print writes text and newline separately (as CPython's print does): the lock keeps lines whole.
 */
import { Lock } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { printInTwoWrites } from './lib/print.js';

export async function func(l: Lock, i: number): Promise<void> {
  await l.acquire();
  try {
    printInTwoWrites('hello world', i);
  } finally {
    l.release();
  }
}

if (isMainThread) {
  const lock = new Lock();
  const processes = Array.from({ length: 10 }, (_, num) => new Process({ target: func, args: [lock, num] }));
  for (const p of processes) p.start();
  for (const p of processes) await p.join();
}
